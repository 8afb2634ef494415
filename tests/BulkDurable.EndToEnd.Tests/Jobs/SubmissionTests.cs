using System.Net;
using BulkDurable.EndToEnd.Tests.Infrastructure;
using BulkDurable.Testing;

namespace BulkDurable.EndToEnd.Tests.Jobs;

/// <summary>
/// A user's submission over HTTP runs as the app's Durable orchestrations, activities and entities on
/// the real engine and lands every row exactly once.
/// </summary>
public sealed class SubmissionTests(ServersFixture servers)
{
    /// <summary>Small chunks and segments, so a few thousand records make several segments of several chunks.</summary>
    private static readonly Dictionary<string, string?> Chunking = new()
    {
        ["BulkDurable:Ingestion:ChunkRecords"] = "500",
        ["BulkDurable:Orchestration:ChunksPerSegment"] = "2",
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("ndjson", false)]
    [InlineData("json", false)]
    [InlineData("csv", false)]
    [InlineData("ndjson", true)]
    [InlineData("json", true)]
    [InlineData("csv", true)]
    public async Task A_payload_in_each_format_is_loaded_exactly_once_and_both_status_urls_agree(string format, bool gzip)
    {
        await using var bed = await DurableTestBed.CreateAsync(servers, Chunking, Ct);
        var payload = SensorPayload.Generate(2_600);
        var (body, contentType) = PayloadFormats.Render(payload, format, gzip);

        var accepted = await bed.Api.SubmitAsync(bed.Dataset.Name, body, contentType, gzip ? "gzip" : null, cancellationToken: Ct);

        Assert.True(accepted.Status == HttpStatusCode.Accepted, accepted.ToString());
        Assert.Empty(accepted.Header("Idempotent-Replayed"));
        var jobId = accepted.Json.GetProperty("jobId").GetString()!;
        var status = await bed.Api.WaitForTerminalAsync(jobId, TimeSpan.FromMinutes(2), Ct);
        Assert.Equal("Completed", status.GetProperty("state").GetString());
        Assert.Equal(6, status.GetProperty("progress").GetProperty("chunks").GetProperty("loaded").GetInt32());
        await payload.AssertLoadedExactlyAsync(bed.Engine, bed.Dataset.Name, jobId, Ct);

        var builtIn = await bed.Api.GetAsync(accepted.Json.GetProperty("management").GetProperty("statusQueryGetUri").GetString()!, Ct);
        Assert.Equal(HttpStatusCode.OK, builtIn.Status);
        Assert.Equal("Completed", builtIn.Json.GetProperty("runtimeStatus").GetString());
        var output = builtIn.Json.GetProperty("output");
        Assert.Equal("Completed", output.GetProperty("state").GetString());
        Assert.Equal(status.GetProperty("progress").GetProperty("records").GetProperty("inserted").GetInt64(), output.GetProperty("inserted").GetInt64());
        Assert.Equal(status.GetProperty("progress").GetProperty("records").GetProperty("submitted").GetInt64(), output.GetProperty("submitted").GetInt64());
        Assert.Equal(jobId, builtIn.Json.GetProperty("input").GetProperty("job").GetProperty("jobId").GetString());
    }

    [Fact]
    public async Task A_payload_put_through_an_upload_url_is_loaded_exactly_once()
    {
        await using var bed = await DurableTestBed.CreateAsync(servers, Chunking, Ct);
        var payload = SensorPayload.Generate(1_200);

        var accepted = await bed.Api.SubmitThroughUploadAsync(bed.Dataset.Name, PayloadFormats.Gzip(payload.Bytes), "ndjson", "gzip", Ct);

        Assert.True(accepted.Status == HttpStatusCode.Accepted, accepted.ToString());
        var jobId = accepted.Json.GetProperty("jobId").GetString()!;
        Assert.Equal("Completed", (await bed.Api.WaitForTerminalAsync(jobId, TimeSpan.FromMinutes(2), Ct)).GetProperty("state").GetString());
        await payload.AssertLoadedExactlyAsync(bed.Engine, bed.Dataset.Name, jobId, Ct);
    }

    [Fact]
    public async Task A_repeated_key_with_the_same_payload_answers_the_same_job_as_a_replay_and_loads_once()
    {
        await using var bed = await DurableTestBed.CreateAsync(servers, Chunking, Ct);
        var payload = SensorPayload.Generate(1_000);

        var first = await bed.Api.SubmitAsync(bed.Dataset.Name, payload.Bytes, "application/x-ndjson", idempotencyKey: "order-42", cancellationToken: Ct);
        var jobId = first.Json.GetProperty("jobId").GetString()!;
        var during = await bed.Api.SubmitAsync(bed.Dataset.Name, payload.Bytes, "application/x-ndjson", idempotencyKey: "order-42", cancellationToken: Ct);
        await bed.Api.WaitForTerminalAsync(jobId, TimeSpan.FromMinutes(2), Ct);
        var after = await bed.Api.SubmitAsync(bed.Dataset.Name, payload.Bytes, "application/x-ndjson", idempotencyKey: "order-42", cancellationToken: Ct);

        Assert.Equal(HttpStatusCode.Accepted, first.Status);
        Assert.Empty(first.Header("Idempotent-Replayed"));
        foreach (var replay in new[] { during, after })
        {
            Assert.True(replay.Status == HttpStatusCode.Accepted, replay.ToString());
            Assert.Equal("true", replay.Header("Idempotent-Replayed"));
            Assert.Equal(jobId, replay.Json.GetProperty("jobId").GetString());
        }

        Assert.Equal("Completed", after.Json.GetProperty("state").GetString());
        await payload.AssertLoadedExactlyAsync(bed.Engine, bed.Dataset.Name, jobId, Ct);
    }

    [Fact]
    public async Task A_repeated_key_with_another_payload_is_a_422_problem_naming_the_first_job()
    {
        await using var bed = await DurableTestBed.CreateAsync(servers, Chunking, Ct);
        var payload = SensorPayload.Generate(300);
        var other = SensorPayload.Generate(301);

        var first = await bed.Api.SubmitAsync(bed.Dataset.Name, payload.Bytes, "application/x-ndjson", idempotencyKey: "batch-7", cancellationToken: Ct);
        var conflict = await bed.Api.SubmitAsync(bed.Dataset.Name, other.Bytes, "application/x-ndjson", idempotencyKey: "batch-7", cancellationToken: Ct);

        var jobId = first.Json.GetProperty("jobId").GetString()!;
        Assert.Equal(HttpStatusCode.UnprocessableEntity, conflict.Status);
        Assert.StartsWith("application/problem+json", conflict.Header("Content-Type"), StringComparison.Ordinal);
        Assert.Contains(jobId, conflict.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await bed.Api.WaitForTerminalAsync(jobId, TimeSpan.FromMinutes(2), Ct);
        await payload.AssertLoadedExactlyAsync(bed.Engine, bed.Dataset.Name, jobId, Ct);
    }

    [Fact]
    public async Task Rejected_records_end_the_job_with_errors_and_are_served_as_its_failed_records()
    {
        await using var bed = await DurableTestBed.CreateAsync(servers, Chunking, Ct);
        var payload = SensorPayload.Generate(1_500, invalidEvery: 40);

        var accepted = await bed.Api.SubmitAsync(bed.Dataset.Name, payload.Bytes, "application/x-ndjson", cancellationToken: Ct);

        var jobId = accepted.Json.GetProperty("jobId").GetString()!;
        var status = await bed.Api.WaitForTerminalAsync(jobId, TimeSpan.FromMinutes(2), Ct);
        Assert.Equal("CompletedWithErrors", status.GetProperty("state").GetString());
        Assert.Equal(payload.Rejections.Count, status.GetProperty("progress").GetProperty("records").GetProperty("rejected").GetInt64());
        var failed = await bed.Api.FailedRecordsAsync(jobId, Ct);
        Assert.Equal(payload.Rejections.Select(r => r.RecordNumber), failed.Select(line => System.Text.Json.JsonDocument.Parse(line).RootElement.GetProperty("recordNumber").GetInt64()));
        await payload.AssertLoadedExactlyAsync(bed.Engine, bed.Dataset.Name, jobId, Ct);
    }
}
