using System.Net;
using BulkDurable.EndToEnd.Tests.Infrastructure;
using BulkDurable.Testing;

namespace BulkDurable.EndToEnd.Tests.Reliability;

/// <summary>
/// The built-in management URLs are handed out as <c>BulkDurable:Api:ManagementLinks</c> says; where
/// they would carry the task hub's system key the default hands out none, and no key reaches the logs.
/// </summary>
[Trait("Category", "LocalHostOnly")]
public sealed class ManagementLinksTests(ServersFixture servers)
{
    private const string SystemKey = "system-key-3c1f9e";
    private const string FunctionKey = "function-key-7d2a";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task With_a_system_key_the_default_202_carries_no_management_url_and_no_code()
    {
        await using var bed = await WithKeysAsync(null);

        var accepted = await SubmitAsync(bed);

        Assert.False(accepted.Json.TryGetProperty("management", out var links) && links.ValueKind != System.Text.Json.JsonValueKind.Null, accepted.Text);
        Assert.DoesNotContain("code=", accepted.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(SystemKey, accepted.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("StatusOnly", 1)]
    [InlineData("All", 6)]
    public async Task An_operator_can_hand_out_the_status_url_or_every_url_knowingly_and_the_key_never_reaches_the_logs(string setting, int urls)
    {
        await using var bed = await WithKeysAsync(setting);

        var accepted = await SubmitAsync(bed);
        var links = accepted.Json.GetProperty("management");
        var handedOut = links.EnumerateObject().Where(p => p.Name.EndsWith("Uri", StringComparison.Ordinal) && p.Value.ValueKind == System.Text.Json.JsonValueKind.String).ToList();
        Assert.Equal(urls, handedOut.Count);
        Assert.All(handedOut, p => Assert.Contains("code=" + SystemKey, p.Value.GetString(), StringComparison.Ordinal));

        var jobId = accepted.Json.GetProperty("jobId").GetString()!;
        // The URL alone opens the Durable API: a client that also sends its function key is refused
        // (the header wins over ?code=, on the Functions host too).
        using var plain = new HttpClient();
        var builtIn = await new JobsApi(plain).GetAsync(links.GetProperty("statusQueryGetUri").GetString()!, Ct);
        Assert.Contains(builtIn.Status, new[] { HttpStatusCode.OK, HttpStatusCode.Accepted });
        await bed.Api.WaitForTerminalAsync(jobId, TimeSpan.FromMinutes(1), Ct);
        Assert.DoesNotContain(SystemKey, bed.Host.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(FunctionKey, bed.Host.Output, StringComparison.Ordinal);
    }

    private async Task<DurableTestBed> WithKeysAsync(string? managementLinks)
    {
        var settings = new Dictionary<string, string?>
        {
            ["LocalHost:Keys:System"] = SystemKey,
            ["LocalHost:Keys:Master"] = "master-key-5b6c",
            ["LocalHost:Keys:Functions:default"] = FunctionKey,
            // Everything at Information, request logs included (host.json overrides, as on the Functions host).
            ["AzureFunctionsJobHost:logging:logLevel:default"] = "Information",
            ["AzureFunctionsJobHost:logging:logLevel:Microsoft.AspNetCore"] = "Information",
        };
        if (managementLinks is not null)
        {
            settings["BulkDurable:Api:ManagementLinks"] = managementLinks;
        }

        var bed = await DurableTestBed.CreateAsync(servers, settings, Ct);
        bed.Host.Http.DefaultRequestHeaders.Add("x-functions-key", FunctionKey);
        return bed;
    }

    private static async Task<ApiAnswer> SubmitAsync(DurableTestBed bed)
    {
        var accepted = await bed.Api.SubmitAsync(bed.Dataset.Name, SensorPayload.Generate(20).Bytes, "application/x-ndjson", cancellationToken: Ct);
        Assert.True(accepted.Status == HttpStatusCode.Accepted, accepted.ToString());
        return accepted;
    }
}
