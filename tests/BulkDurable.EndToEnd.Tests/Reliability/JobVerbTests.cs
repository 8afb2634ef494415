using System.Net;
using BulkDurable.EndToEnd.Tests.Infrastructure;
using BulkDurable.Testing;

namespace BulkDurable.EndToEnd.Tests.Reliability;

/// <summary>
/// Suspend, resume, terminate, redrive and cancel on the real engine reach every orchestration of the
/// job, and a verb that races the job's own end is a 409 naming the state, never a 500.
/// </summary>
public sealed class JobVerbTests(ServersFixture servers)
{
    private const int ChunkRecords = 200;

    /// <summary>One segment of chunks of 200 records, one load at a time, each write 300 ms: a job of a few thousand records runs for seconds.</summary>
    private static readonly Dictionary<string, string?> OneChunkAtATime = new()
    {
        ["BulkDurable:Ingestion:ChunkRecords"] = "200",
        ["BulkDurable:Orchestration:ChunksPerSegment"] = "100",
        ["BulkDurable:Orchestration:MaxChunksInFlight"] = "1",
    };

    private static readonly TimeSpan ChunkTime = TimeSpan.FromMilliseconds(300);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Suspend_stops_new_chunk_loads_within_one_chunk_and_resume_continues_them_to_an_exact_load()
    {
        await using var bed = await DurableTestBed.CreateAsync(servers, OneChunkAtATime, Ct, chunkDelay: ChunkTime);
        var payload = SensorPayload.Generate(4_000);
        var jobId = await SubmitAndWaitForChunksAsync(bed, payload, 2);

        var suspend = await bed.Api.CommandAsync(jobId, "suspend", Ct);

        Assert.True(suspend.Status == HttpStatusCode.Accepted, suspend.ToString());
        await bed.Api.WaitForAsync(jobId, s => s.GetProperty("state").GetString() == "Suspended", TimeSpan.FromSeconds(30), Ct);
        var atSuspend = await bed.LoadedChunksAsync(jobId);
        await Task.Delay(ChunkTime * 8, Ct);
        var later = await bed.LoadedChunksAsync(jobId);
        Assert.True(later <= atSuspend + 1, $"{later - atSuspend} chunks were loaded in {ChunkTime * 8} after the job was suspended ({atSuspend} at the suspend)");

        var resume = await bed.Api.CommandAsync(jobId, "resume", Ct);

        Assert.True(resume.Status == HttpStatusCode.Accepted, resume.ToString());
        Assert.Equal("Completed", (await bed.Api.WaitForTerminalAsync(jobId, TimeSpan.FromMinutes(2), Ct)).GetProperty("state").GetString());
        await payload.AssertLoadedExactlyAsync(bed.Engine, bed.Dataset.Name, jobId, Ct);
    }

    [Fact]
    public async Task After_terminate_no_chunk_of_the_job_starts_and_a_redrive_loads_exactly_the_rest()
    {
        await using var bed = await DurableTestBed.CreateAsync(servers, OneChunkAtATime, Ct, chunkDelay: ChunkTime);
        var payload = SensorPayload.Generate(4_000);
        var accepted = await bed.Api.SubmitAsync(bed.Dataset.Name, payload.Bytes, "application/x-ndjson", cancellationToken: Ct);
        var jobId = accepted.Json.GetProperty("jobId").GetString()!;
        await bed.Api.WaitForAsync(jobId, s => s.GetProperty("progress").GetProperty("chunks").GetProperty("loaded").GetInt32() >= 2, TimeSpan.FromMinutes(1), Ct);

        // An operator terminates the job through the Durable HTTP API (the system key's terminate URL).
        var terminateUrl = accepted.Json.GetProperty("management").GetProperty("terminatePostUri").GetString()!.Replace("{{text}}", "operator", StringComparison.Ordinal);
        using (var terminate = await bed.Host.Http.PostAsync(terminateUrl, null, Ct))
        {
            Assert.Equal(HttpStatusCode.Accepted, terminate.StatusCode);
        }

        await bed.Api.WaitForAsync(jobId, s => s.GetProperty("state").GetString() is "Failed" or "Cancelled", TimeSpan.FromSeconds(30), Ct);
        var atTerminate = await bed.LoadedChunksAsync(jobId);
        await Task.Delay(ChunkTime * 8, Ct);
        var later = await bed.LoadedChunksAsync(jobId);
        Assert.True(later <= atTerminate + 1, $"{later - atTerminate} chunks were loaded in {ChunkTime * 8} after the job was terminated ({atTerminate} at the terminate)");

        var redrive = await bed.Api.CommandAsync(jobId, "redrive", Ct);

        Assert.True(redrive.Status == HttpStatusCode.Accepted, redrive.ToString());
        Assert.Equal("Completed", (await bed.Api.WaitForTerminalAsync(jobId, TimeSpan.FromMinutes(2), Ct)).GetProperty("state").GetString());
        await payload.AssertLoadedExactlyAsync(bed.Engine, bed.Dataset.Name, jobId, Ct);
        Assert.Equal(payload.Records / ChunkRecords, await bed.LoadedChunksAsync(jobId));
    }

    [Fact]
    public async Task Commands_racing_the_end_of_a_job_answer_202_or_409_problem_with_the_state_never_500()
    {
        var settings = new Dictionary<string, string?>(OneChunkAtATime) { ["BulkDurable:Orchestration:MaxChunksInFlight"] = "4" };
        await using var bed = await DurableTestBed.CreateAsync(servers, settings, Ct, chunkDelay: TimeSpan.FromMilliseconds(50));
        var payload = SensorPayload.Generate(2_000);
        var accepted = await bed.Api.SubmitAsync(bed.Dataset.Name, payload.Bytes, "application/x-ndjson", cancellationToken: Ct);
        var jobId = accepted.Json.GetProperty("jobId").GetString()!;
        await bed.Api.WaitForAsync(jobId, s => s.GetProperty("progress").GetProperty("chunks").GetProperty("loaded").GetInt32() >= 1, TimeSpan.FromMinutes(1), Ct);

        // Suspend and resume back to back, concurrently, until well after the job has ended: each
        // verb meets every state the job passes through, its end included.
        var answers = new List<ApiAnswer>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(25);
        var ended = false;
        while (DateTime.UtcNow < deadline && !ended)
        {
            var round = await Task.WhenAll(new[] { "suspend", "resume", "resume", "suspend", "resume" }.Select(c => bed.Api.CommandAsync(jobId, c, Ct)));
            answers.AddRange(round);
            var status = await bed.Api.StatusAsync(jobId, Ct);
            ended = status.Json.GetProperty("state").GetString() is "Completed" or "CompletedWithErrors" or "Failed" or "Cancelled";
        }

        var cancel = await bed.Api.CommandAsync(jobId, "cancel", Ct);
        answers.Add(cancel);
        Assert.All(answers, a => Assert.True(a.Status is HttpStatusCode.Accepted or HttpStatusCode.Conflict, a.ToString()));
        foreach (var conflict in answers.Where(a => a.Status == HttpStatusCode.Conflict))
        {
            Assert.StartsWith("application/problem+json", conflict.Header("Content-Type"), StringComparison.Ordinal);
            Assert.Equal("urn:bulkdurable:problem:invalid-job-state", conflict.Json.GetProperty("type").GetString());
            Assert.False(string.IsNullOrEmpty(conflict.Json.GetProperty("state").GetString()));
        }

        Assert.Equal(HttpStatusCode.Conflict, cancel.Status);
        Assert.Equal("Completed", cancel.Json.GetProperty("state").GetString());
        await payload.AssertLoadedExactlyAsync(bed.Engine, bed.Dataset.Name, jobId, Ct);
    }

    private static async Task<string> SubmitAndWaitForChunksAsync(DurableTestBed bed, SensorPayload payload, int chunks)
    {
        var accepted = await bed.Api.SubmitAsync(bed.Dataset.Name, payload.Bytes, "application/x-ndjson", cancellationToken: Ct);
        Assert.True(accepted.Status == HttpStatusCode.Accepted, accepted.ToString());
        var jobId = accepted.Json.GetProperty("jobId").GetString()!;
        await bed.Api.WaitForAsync(jobId, s => s.GetProperty("progress").GetProperty("chunks").GetProperty("loaded").GetInt32() >= chunks, TimeSpan.FromMinutes(1), Ct);
        return jobId;
    }
}
