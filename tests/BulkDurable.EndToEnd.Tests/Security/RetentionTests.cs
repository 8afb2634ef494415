using System.Net;
using BulkDurable.EndToEnd.Tests.Infrastructure;
using BulkDurable.Ingestion.Api;
using BulkDurable.Testing;

namespace BulkDurable.EndToEnd.Tests.Security;

/// <summary>
/// The purge timer removes what jobs leave in the task hub once the retention window has passed, and
/// nothing younger: orchestration history (the job and its segments) and entity state, while the
/// job's own status stays readable from its blobs and its rows stay loaded.
/// </summary>
public sealed class RetentionTests(ServersFixture servers)
{
    private static readonly TimeSpan Retention = TimeSpan.FromSeconds(20);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_purge_run_removes_history_and_entity_state_past_retention_and_keeps_what_is_younger()
    {
        var settings = new Dictionary<string, string?>
        {
            ["BulkDurable:Retention:JobHistory"] = Retention.ToString(),
            ["BulkDurable:Callers:TrustCallerHeader"] = "true",
            ["BulkDurable:Ingestion:ChunkRecords"] = "100",
            ["BulkDurable:Orchestration:ChunksPerSegment"] = "2",
        };
        await using var bed = await DurableTestBed.CreateAsync(servers, settings, Ct);
        var old = SensorPayload.Generate(500, sensor: i => $"old-{i}");
        var oldJob = await SubmitAndFinishAsync(bed, "early", old);
        Assert.Equal(HttpStatusCode.OK, (await EntityAsync(bed, "JobProgress", oldJob)).Status);
        Assert.NotEmpty(await InstancesAsync(bed, oldJob));

        // Everything of the old job is now older than the window; the young job is not.
        await Task.Delay(Retention + TimeSpan.FromSeconds(2), Ct);
        var young = SensorPayload.Generate(300, sensor: i => $"young-{i}");
        var youngJob = await SubmitAndFinishAsync(bed, "late", young);

        using var run = await bed.Host.Http.PostAsync("admin/functions/PurgeJobHistory", new StringContent("{\"input\":\"\"}", System.Text.Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.Accepted, run.StatusCode);
        await WaitUntilAsync(async () =>
            (await InstancesAsync(bed, oldJob)).Count == 0
            && (await EntityAsync(bed, "JobProgress", oldJob)).Status == HttpStatusCode.NotFound
            && (await EntityAsync(bed, "SubmissionRate", RateKey("early"))).Status == HttpStatusCode.NotFound);

        Assert.Equal(HttpStatusCode.NotFound, (await bed.Api.GetAsync($"runtime/webhooks/durabletask/instances/{oldJob}", Ct)).Status);
        Assert.Equal(HttpStatusCode.OK, (await bed.Api.GetAsync($"runtime/webhooks/durabletask/instances/{youngJob}", Ct)).Status);
        Assert.True((await InstancesAsync(bed, youngJob)).Count >= 2, "the young job's segments were purged");
        Assert.Equal(HttpStatusCode.OK, (await EntityAsync(bed, "JobProgress", youngJob)).Status);
        Assert.Equal(HttpStatusCode.OK, (await EntityAsync(bed, "SubmissionRate", RateKey("late"))).Status);

        bed.Host.Http.DefaultRequestHeaders.Remove("X-BulkDurable-Caller");
        bed.Host.Http.DefaultRequestHeaders.Add("X-BulkDurable-Caller", "early");
        var oldStatus = await bed.Api.StatusAsync(oldJob, Ct);
        Assert.True(oldStatus.Status == HttpStatusCode.OK, oldStatus.ToString());
        Assert.Equal("Completed", oldStatus.Json.GetProperty("state").GetString());
        Assert.Equal(old.Records + young.Records, await bed.RowCountAsync());
    }

    private static async Task<string> SubmitAndFinishAsync(DurableTestBed bed, string caller, SensorPayload payload)
    {
        bed.Host.Http.DefaultRequestHeaders.Remove("X-BulkDurable-Caller");
        bed.Host.Http.DefaultRequestHeaders.Add("X-BulkDurable-Caller", caller);
        var accepted = await bed.Api.SubmitAsync(bed.Dataset.Name, payload.Bytes, "application/x-ndjson", idempotencyKey: caller + "-key", cancellationToken: Ct);
        Assert.True(accepted.Status == HttpStatusCode.Accepted, accepted.ToString());
        var jobId = accepted.Json.GetProperty("jobId").GetString()!;
        Assert.Equal("Completed", (await bed.Api.WaitForTerminalAsync(jobId, TimeSpan.FromMinutes(2), Ct)).GetProperty("state").GetString());
        await WaitUntilAsync(async () => (await bed.Api.GetAsync($"runtime/webhooks/durabletask/instances/{jobId}", Ct)).Status == HttpStatusCode.OK);
        return jobId;
    }

    /// <summary>The job's orchestration and its segments (instance ids start with the job id).</summary>
    private static async Task<IReadOnlyList<string>> InstancesAsync(DurableTestBed bed, string jobId)
    {
        var answer = await bed.Api.GetAsync($"runtime/webhooks/durabletask/instances?instanceIdPrefix={jobId}&top=100", Ct);
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        return answer.Json.EnumerateArray().Select(i => i.GetProperty("instanceId").GetString()!).ToList();
    }

    private static Task<ApiAnswer> EntityAsync(DurableTestBed bed, string name, string key) =>
        bed.Api.GetAsync($"runtime/webhooks/durabletask/entities/{name}/{Uri.EscapeDataString(key)}", Ct);

    private static string RateKey(string caller) => IdempotencyKeys.EntityKey("callers", "header:" + caller);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromMinutes(1));
        while (!await condition())
        {
            await Task.Delay(250, deadline.Token);
        }
    }
}
