using System.Net;
using System.Text;
using BulkDurable.EndToEnd.Tests.Infrastructure;
using BulkDurable.Testing;

namespace BulkDurable.EndToEnd.Tests.Reliability;

/// <summary>Submissions at the edges: bodies larger than the server's own limit, the same key at the same instant.</summary>
public sealed class SubmissionEdgeTests(ServersFixture servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_uncompressed_json_array_above_the_servers_30_MB_default_is_loaded_and_one_above_max_request_body_bytes_is_413_problem_json()
    {
        var settings = new Dictionary<string, string?> { ["BulkDurable:Api:MaxRequestBodyBytes"] = (48L * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture) };
        await using var bed = await DurableTestBed.CreateAsync(servers, settings, Ct);
        var payload = SensorPayload.Generate(300_000, note: i => "a note long enough to make the body big " + i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var (body, contentType) = PayloadFormats.Render(payload, "json", gzip: false);
        Assert.InRange(body.Length, 32L * 1024 * 1024, 48L * 1024 * 1024);

        var accepted = await bed.Api.SubmitAsync(bed.Dataset.Name, body, contentType, cancellationToken: Ct);

        Assert.True(accepted.Status == HttpStatusCode.Accepted, accepted.ToString());
        var jobId = accepted.Json.GetProperty("jobId").GetString()!;
        Assert.Equal("Completed", (await bed.Api.WaitForTerminalAsync(jobId, TimeSpan.FromMinutes(3), Ct)).GetProperty("state").GetString());
        Assert.Equal(payload.Records, await bed.RowCountAsync());

        // Refused on its Content-Length, before its bytes are read (a client that sends Expect: 100-continue sends none).
        var tooLarge = await bed.Api.SubmitAsync(bed.Dataset.Name, [.. body, .. Encoding.UTF8.GetBytes(new string(' ', 17 * 1024 * 1024))], contentType, expectContinue: true, cancellationToken: Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.Status);
        Assert.StartsWith("application/problem+json", tooLarge.Header("Content-Type"), StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "LocalHostOnly")]
    public async Task First_submissions_with_one_key_at_the_same_instant_answer_one_new_job_and_replays_of_it()
    {
        // The first request to record the job pauses right after it, so that another one schedules
        // the orchestration first: who recorded the job, not who scheduled it, is the new one.
        var settings = new Dictionary<string, string?>
        {
            ["LocalHost:Faults:Point"] = "JobAccepted",
            ["LocalHost:Faults:Action"] = "Delay",
            ["LocalHost:Faults:Delay"] = "00:00:02",
        };
        await using var bed = await DurableTestBed.CreateAsync(servers, settings, Ct);
        var payload = SensorPayload.Generate(500);

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            bed.Api.SubmitAsync(bed.Dataset.Name, payload.Bytes, "application/x-ndjson", idempotencyKey: "same-instant", cancellationToken: Ct)));

        Assert.All(answers, a => Assert.True(a.Status == HttpStatusCode.Accepted, a.ToString()));
        var jobId = Assert.Single(answers.Select(a => a.Json.GetProperty("jobId").GetString()).Distinct());
        Assert.Single(answers, a => a.Header("Idempotent-Replayed").Length == 0);
        Assert.Equal(7, answers.Count(a => a.Header("Idempotent-Replayed") == "true"));
        await bed.Api.WaitForTerminalAsync(jobId!, TimeSpan.FromMinutes(1), Ct);
        await payload.AssertLoadedExactlyAsync(bed.Engine, bed.Dataset.Name, jobId!, Ct);
    }
}
