using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using BulkDurable.EndToEnd.Tests.Infrastructure;
using BulkDurable.Testing;

namespace BulkDurable.EndToEnd.Tests.Security;

/// <summary>
/// Whoever holds the task hub's system key can start the app's orchestrations with any input through
/// the Durable HTTP API (<c>POST /runtime/webhooks/durabletask/orchestrators/{name}/{id}</c>). An input
/// our starter did not write fails the orchestration before it touches anything: the job it names
/// keeps its result, its rows and its idempotency key.
/// </summary>
public sealed class UntrustedInputTests(ServersFixture servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Tamperings { get; } = ["other caller", "other instance id", "settings out of range", "unknown job id", "segment of the job"];

    [Theory]
    [MemberData(nameof(Tamperings))]
    public async Task An_orchestration_started_with_an_input_our_starter_did_not_write_fails_without_touching_the_job(string tampering)
    {
        await using var bed = await DurableTestBed.CreateAsync(servers, new Dictionary<string, string?> { ["BulkDurable:Callers:TrustCallerHeader"] = "true" }, Ct);
        bed.Host.Http.DefaultRequestHeaders.Add("X-BulkDurable-Caller", "alice");
        var payload = SensorPayload.Generate(300);
        var accepted = await bed.Api.SubmitAsync(bed.Dataset.Name, payload.Bytes, "application/x-ndjson", idempotencyKey: "alice-key", cancellationToken: Ct);
        var jobId = accepted.Json.GetProperty("jobId").GetString()!;
        var before = await bed.Api.WaitForTerminalAsync(jobId, TimeSpan.FromMinutes(2), Ct);
        var instance = await WaitForRuntimeStatusAsync(bed, jobId, "Completed");
        var input = JsonNode.Parse(instance.Json.GetProperty("input").GetRawText())!.AsObject();

        var (name, instanceId) = Tamper(tampering, jobId, input);
        using var start = await bed.Host.Http.PostAsync($"runtime/webhooks/durabletask/orchestrators/{name}/{Uri.EscapeDataString(instanceId)}", new StringContent(input.ToJsonString(), Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var rejected = await WaitForRuntimeStatusAsync(bed, instanceId, "Failed");

        Assert.Contains("input rejected", rejected.Text, StringComparison.Ordinal);
        var after = await bed.Api.StatusAsync(jobId, Ct);
        Assert.Equal(before.GetProperty("state").GetString(), after.Json.GetProperty("state").GetString());
        Assert.Equal(before.GetProperty("finishedAt").GetString(), after.Json.GetProperty("finishedAt").GetString());
        Assert.Equal(before.GetProperty("progress").GetProperty("records").GetRawText(), after.Json.GetProperty("progress").GetProperty("records").GetRawText());
        await payload.AssertLoadedExactlyAsync(bed.Engine, bed.Dataset.Name, jobId, Ct);

        // The key still maps to the job: resubmitting replays it.
        var again = await bed.Api.SubmitAsync(bed.Dataset.Name, payload.Bytes, "application/x-ndjson", idempotencyKey: "alice-key", cancellationToken: Ct);
        Assert.Equal(jobId, again.Json.GetProperty("jobId").GetString());
        Assert.Equal("true", again.Header("Idempotent-Replayed"));
    }

    /// <summary>Changes the job's real input as an attacker would; returns the orchestration and instance to start.</summary>
    private static (string Name, string InstanceId) Tamper(string tampering, string jobId, JsonObject input)
    {
        var job = input["job"]!.AsObject();
        switch (tampering)
        {
            case "other caller":
                job["caller"] = "header:mallory";
                return ("IngestJob", jobId);
            case "other instance id":
                return ("IngestJob", jobId + "x");
            case "settings out of range":
                input["settings"]!["maxChunksInFlight"] = 100_000;
                return ("IngestJob", jobId);
            case "unknown job id":
                job["jobId"] = jobId + "x";
                return ("IngestJob", jobId + "x");
            default:
                var segment = new JsonObject
                {
                    ["jobId"] = jobId,
                    ["segment"] = new JsonObject { ["index"] = 0, ["firstChunk"] = 0, ["chunkCount"] = 1_000 },
                    ["plan"] = new JsonObject { ["chunkCount"] = 1, ["recordCount"] = 300, ["planRejected"] = 0 },
                    ["settings"] = input["settings"]!.DeepClone(),
                    ["failedBefore"] = 0,
                    ["rejectedBefore"] = 0,
                    ["run"] = 0,
                };
                input.Clear();
                foreach (var (key, value) in segment)
                {
                    input[key] = value?.DeepClone();
                }

                return ("LoadSegment", $"{jobId}:seg:0:r0");
        }
    }

    private static async Task<ApiAnswer> WaitForRuntimeStatusAsync(DurableTestBed bed, string instanceId, string runtimeStatus)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromMinutes(1));
        while (true)
        {
            var answer = await bed.Api.GetAsync($"runtime/webhooks/durabletask/instances/{Uri.EscapeDataString(instanceId)}?showInput=true", deadline.Token);
            if (answer.Json.ValueKind == System.Text.Json.JsonValueKind.Object && answer.Json.TryGetProperty("runtimeStatus", out var status) && status.GetString() == runtimeStatus)
            {
                return answer;
            }

            await Task.Delay(250, deadline.Token);
        }
    }
}
