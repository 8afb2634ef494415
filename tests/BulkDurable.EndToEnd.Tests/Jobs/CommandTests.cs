using System.Net;
using BulkDurable.EndToEnd.Tests.Infrastructure;
using BulkDurable.Ingestion.Jobs;
using BulkDurable.Testing;

namespace BulkDurable.EndToEnd.Tests.Jobs;

/// <summary>Job commands and crashes of the host, on the real engine, with exact counts afterwards.</summary>
public sealed class CommandTests(ServersFixture servers)
{
    /// <summary>One chunk at a time, of 200 records: a job of a few thousand records takes seconds.</summary>
    private static readonly Dictionary<string, string?> OneChunkAtATime = new()
    {
        ["BulkDurable:Ingestion:ChunkRecords"] = "200",
        ["BulkDurable:Orchestration:ChunksPerSegment"] = "5",
        ["BulkDurable:Orchestration:MaxChunksInFlight"] = "1",
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_cancelled_job_loads_no_chunk_after_the_cancel_and_is_finalized_as_cancelled_with_exact_counts()
    {
        await using var bed = await DurableTestBed.CreateAsync(servers, OneChunkAtATime, Ct, chunkDelay: TimeSpan.FromMilliseconds(300));
        var payload = SensorPayload.Generate(4_000);
        var accepted = await bed.Api.SubmitAsync(bed.Dataset.Name, payload.Bytes, "application/x-ndjson", cancellationToken: Ct);
        var jobId = accepted.Json.GetProperty("jobId").GetString()!;
        await bed.Api.WaitForAsync(jobId, s => s.GetProperty("progress").GetProperty("chunks").GetProperty("loaded").GetInt32() >= 2, TimeSpan.FromMinutes(1), Ct);

        var cancel = await bed.Api.CommandAsync(jobId, "cancel", Ct);

        Assert.True(cancel.Status == HttpStatusCode.Accepted, cancel.ToString());
        var status = await bed.Api.WaitForTerminalAsync(jobId, TimeSpan.FromMinutes(2), Ct);
        Assert.Equal("Cancelled", status.GetProperty("state").GetString());
        var result = await bed.Engine.Store.ReadJsonAsync(BulkDurable.Ingestion.Staging.BlobLayout.Result(jobId), BulkDurable.Ingestion.Serialization.IngestionJsonContext.Default.JobResult, Ct);
        Assert.NotNull(result);
        Assert.InRange(result.ChunksLoaded, 2, result.ChunkCount - 1);
        await InvariantChecker.AssertAsync(bed.Engine, jobId, new JobExpectation
        {
            Dataset = bed.Dataset.Name,
            Submitted = payload.Records,
            State = JobState.Cancelled,
            NotLoaded = payload.Records - result.Inserted,
            Inserted = result.ChunksLoaded * 200L,
        }, Ct);
        Assert.Equal(result.Inserted, await bed.RowCountAsync());
    }

    [Fact]
    public async Task A_host_killed_mid_job_and_restarted_finishes_the_job_with_every_row_exactly_once()
    {
        await using var bed = await DurableTestBed.CreateAsync(servers, OneChunkAtATime, Ct, chunkDelay: TimeSpan.FromMilliseconds(200));
        var payload = SensorPayload.Generate(3_000, invalidEvery: 97);
        var accepted = await bed.Api.SubmitAsync(bed.Dataset.Name, payload.Bytes, "application/x-ndjson", idempotencyKey: "crash-1", cancellationToken: Ct);
        var jobId = accepted.Json.GetProperty("jobId").GetString()!;
        await bed.Api.WaitForAsync(jobId, s => s.GetProperty("progress").GetProperty("chunks").GetProperty("loaded").GetInt32() >= 3, TimeSpan.FromMinutes(1), Ct);

        await bed.Host.KillAsync();
        await bed.Host.RestartAsync(null, Ct);

        var status = await bed.Api.WaitForTerminalAsync(jobId, TimeSpan.FromMinutes(3), Ct);
        Assert.Equal("CompletedWithErrors", status.GetProperty("state").GetString());
        await payload.AssertLoadedExactlyAsync(bed.Engine, bed.Dataset.Name, jobId, Ct);
        var replay = await bed.Api.SubmitAsync(bed.Dataset.Name, payload.Bytes, "application/x-ndjson", idempotencyKey: "crash-1", cancellationToken: Ct);
        Assert.Equal("true", replay.Header("Idempotent-Replayed"));
        Assert.Equal(jobId, replay.Json.GetProperty("jobId").GetString());
    }
}
