using System.Net;
using BulkDurable.EndToEnd.Tests.Infrastructure;
using BulkDurable.Testing;

namespace BulkDurable.EndToEnd.Tests.Hosting;

/// <summary>
/// The built-in Durable HTTP API behind the management URLs a submitter receives answers as the
/// Durable documentation says, on a job's real orchestration.
/// </summary>
public sealed class DurableHttpApiTests(ServersFixture servers)
{
    private static readonly Dictionary<string, string?> SlowJob = new()
    {
        ["BulkDurable:Ingestion:ChunkRecords"] = "200",
        ["BulkDurable:Orchestration:MaxChunksInFlight"] = "1",
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_unknown_instance_is_404_on_status_and_commands()
    {
        await using var bed = await DurableTestBed.CreateAsync(servers, null, Ct);

        var status = await bed.Api.GetAsync("runtime/webhooks/durabletask/instances/no-such-instance", Ct);
        using var terminate = await bed.Host.Http.PostAsync("runtime/webhooks/durabletask/instances/no-such-instance/terminate?reason=x", null, Ct);

        Assert.Equal(HttpStatusCode.NotFound, status.Status);
        Assert.Equal(HttpStatusCode.NotFound, terminate.StatusCode);
    }

    [Fact]
    public async Task A_running_instance_is_202_with_location_then_200_when_completed_then_410_to_commands_and_purged_once()
    {
        await using var bed = await DurableTestBed.CreateAsync(servers, SlowJob, Ct, chunkDelay: TimeSpan.FromMilliseconds(200));
        var payload = SensorPayload.Generate(1_200);
        var accepted = await bed.Api.SubmitAsync(bed.Dataset.Name, payload.Bytes, "application/x-ndjson", cancellationToken: Ct);
        var jobId = accepted.Json.GetProperty("jobId").GetString()!;
        var management = accepted.Json.GetProperty("management");
        await bed.Api.WaitForAsync(jobId, s => s.GetProperty("progress").GetProperty("chunks").GetProperty("loaded").GetInt32() >= 1, TimeSpan.FromMinutes(1), Ct);

        var running = await bed.Api.GetAsync(management.GetProperty("statusQueryGetUri").GetString()!, Ct);
        Assert.Equal(HttpStatusCode.Accepted, running.Status);
        Assert.NotEmpty(running.Header("Location"));
        Assert.Equal("Running", running.Json.GetProperty("runtimeStatus").GetString());
        Assert.Equal("Loading", running.Json.GetProperty("customStatus").GetProperty("phase").GetString());

        await bed.Api.WaitForTerminalAsync(jobId, TimeSpan.FromMinutes(2), Ct);
        var completed = await WaitForRuntimeStatusAsync(bed, management.GetProperty("statusQueryGetUri").GetString()!, "Completed");
        Assert.Equal(HttpStatusCode.OK, completed.Status);
        Assert.False(string.IsNullOrEmpty(completed.Json.GetProperty("createdTime").GetString()));
        Assert.False(string.IsNullOrEmpty(completed.Json.GetProperty("lastUpdatedTime").GetString()));

        using var terminate = await bed.Host.Http.PostAsync(management.GetProperty("terminatePostUri").GetString()!.Replace("{{text}}", "late", StringComparison.Ordinal), null, Ct);
        using var raise = await bed.Host.Http.PostAsync(management.GetProperty("sendEventPostUri").GetString()!.Replace("{eventName}", "Cancel", StringComparison.Ordinal), new StringContent("\"late\"", System.Text.Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.Gone, terminate.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, raise.StatusCode);

        using var purge = await bed.Host.Http.DeleteAsync(management.GetProperty("purgeHistoryDeleteUri").GetString()!, Ct);
        using var again = await bed.Host.Http.DeleteAsync(management.GetProperty("purgeHistoryDeleteUri").GetString()!, Ct);
        Assert.Equal(HttpStatusCode.OK, purge.StatusCode);
        Assert.Contains("\"instancesDeleted\":1", await purge.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task Suspend_and_resume_through_the_management_urls_are_accepted_on_a_running_instance()
    {
        await using var bed = await DurableTestBed.CreateAsync(servers, SlowJob, Ct, chunkDelay: TimeSpan.FromMilliseconds(300));
        var payload = SensorPayload.Generate(2_000);
        var accepted = await bed.Api.SubmitAsync(bed.Dataset.Name, payload.Bytes, "application/x-ndjson", cancellationToken: Ct);
        var jobId = accepted.Json.GetProperty("jobId").GetString()!;
        var management = accepted.Json.GetProperty("management");
        await bed.Api.WaitForAsync(jobId, s => s.GetProperty("progress").GetProperty("chunks").GetProperty("loaded").GetInt32() >= 1, TimeSpan.FromMinutes(1), Ct);

        using var suspend = await bed.Host.Http.PostAsync(management.GetProperty("suspendPostUri").GetString()!.Replace("{{text}}", "pause", StringComparison.Ordinal), null, Ct);
        Assert.Equal(HttpStatusCode.Accepted, suspend.StatusCode);
        var suspended = await WaitForRuntimeStatusAsync(bed, management.GetProperty("statusQueryGetUri").GetString()!, "Suspended");
        Assert.Equal(HttpStatusCode.Accepted, suspended.Status);

        using var resume = await bed.Host.Http.PostAsync(management.GetProperty("resumePostUri").GetString()!.Replace("{{text}}", "go", StringComparison.Ordinal), null, Ct);
        Assert.Equal(HttpStatusCode.Accepted, resume.StatusCode);
        Assert.Equal("Completed", (await bed.Api.WaitForTerminalAsync(jobId, TimeSpan.FromMinutes(2), Ct)).GetProperty("state").GetString());
        await payload.AssertLoadedExactlyAsync(bed.Engine, bed.Dataset.Name, jobId, Ct);
    }

    private static async Task<ApiAnswer> WaitForRuntimeStatusAsync(DurableTestBed bed, string url, string runtimeStatus)
    {
        for (var i = 0; i < 200; i++)
        {
            var answer = await bed.Api.GetAsync(url, Ct);
            if (answer.Json.ValueKind == System.Text.Json.JsonValueKind.Object && answer.Json.GetProperty("runtimeStatus").GetString() == runtimeStatus)
            {
                return answer;
            }

            await Task.Delay(100, Ct);
        }

        throw new TimeoutException($"{url} never reported {runtimeStatus}.");
    }
}
