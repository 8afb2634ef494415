using System.Net.Http.Headers;
using BulkDurable.Cli.Api;

namespace BulkDurable.Cli.Tests.Output;

public sealed class ApiHelpersTests
{
    [Fact]
    public void Function_keys_and_sas_signatures_are_hidden_from_printed_urls()
    {
        var redacted = UrlRedaction.Redact(new Uri("https://app.example/api/jobs/j1?code=SECRET&sig=ALSO&x=1"));

        Assert.Equal("https://app.example/api/jobs/j1?code=***&sig=***&x=1", redacted);
    }

    [Fact]
    public void Retry_after_in_seconds_or_as_a_date_is_honoured_within_bounds()
    {
        var now = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
        using var seconds = new HttpResponseMessage { Headers = { RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(7)) } };
        using var date = new HttpResponseMessage { Headers = { RetryAfter = new RetryConditionHeaderValue(now.AddSeconds(30)) } };
        using var absurd = new HttpResponseMessage { Headers = { RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromDays(1)) } };
        using var none = new HttpResponseMessage();

        Assert.Equal(TimeSpan.FromSeconds(7), RetryAfter.Of(seconds, now));
        Assert.Equal(TimeSpan.FromSeconds(30), RetryAfter.Of(date, now));
        Assert.Equal(RetryAfter.Max, RetryAfter.Of(absurd, now));
        Assert.Null(RetryAfter.Of(none, now));
    }
}
