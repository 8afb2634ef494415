using System.Globalization;
using System.Net;
using BulkDurable.EndToEnd.Tests.Infrastructure;
using BulkDurable.Testing;

namespace BulkDurable.EndToEnd.Tests.Security;

/// <summary>
/// The published limits on the real engine: 429 with Retry-After and problem+json before the payload
/// is staged, and never more chunk loads at once than the host runs activities.
/// </summary>
public sealed class AdmissionTests(ServersFixture servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_caller_over_its_submissions_per_minute_gets_429_with_retry_after_before_anything_is_staged_and_others_are_admitted()
    {
        var settings = new Dictionary<string, string?>
        {
            ["BulkDurable:Callers:TrustCallerHeader"] = "true",
            ["BulkDurable:Admission:MaxSubmissionsPerCallerPerMinute"] = "3",
        };
        await using var bed = await DurableTestBed.CreateAsync(servers, settings, Ct);
        bed.Host.Http.DefaultRequestHeaders.Add("X-BulkDurable-Caller", "busy");
        var payload = SensorPayload.Generate(10).Bytes;

        var admitted = new List<ApiAnswer>();
        for (var i = 0; i < 3; i++)
        {
            admitted.Add(await bed.Api.SubmitAsync(bed.Dataset.Name, payload, "application/x-ndjson", cancellationToken: Ct));
        }

        var uploadsBefore = await UploadCountAsync(bed);
        var refused = await bed.Api.SubmitAsync(bed.Dataset.Name, payload, "application/x-ndjson", cancellationToken: Ct);

        Assert.All(admitted, a => Assert.Equal(HttpStatusCode.Accepted, a.Status));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
        Assert.StartsWith("application/problem+json", refused.Header("Content-Type"), StringComparison.Ordinal);
        Assert.Equal("urn:bulkdurable:problem:too-many-requests", refused.Json.GetProperty("type").GetString());
        Assert.InRange(int.Parse(refused.Header("Retry-After"), CultureInfo.InvariantCulture), 1, 60);
        Assert.Equal(uploadsBefore, await UploadCountAsync(bed));

        using var other = new HttpClient { BaseAddress = bed.Host.BaseUrl };
        other.DefaultRequestHeaders.Add("X-BulkDurable-Caller", "quiet");
        Assert.Equal(HttpStatusCode.Accepted, (await new JobsApi(other).SubmitAsync(bed.Dataset.Name, payload, "application/x-ndjson", cancellationToken: Ct)).Status);
    }

    [Fact]
    public async Task Jobs_beyond_the_dataset_limit_get_429_while_a_resubmission_of_the_running_job_is_its_replay()
    {
        var settings = new Dictionary<string, string?>
        {
            ["BulkDurable:Admission:MaxActiveJobsPerDataset"] = "1",
            ["BulkDurable:Ingestion:ChunkRecords"] = "200",
            ["BulkDurable:Orchestration:MaxChunksInFlight"] = "1",
        };
        await using var bed = await DurableTestBed.CreateAsync(servers, settings, Ct, chunkDelay: TimeSpan.FromMilliseconds(300));
        var running = SensorPayload.Generate(3_000);
        var first = await bed.Api.SubmitAsync(bed.Dataset.Name, running.Bytes, "application/x-ndjson", idempotencyKey: "big", cancellationToken: Ct);
        var jobId = first.Json.GetProperty("jobId").GetString()!;
        await bed.Api.WaitForAsync(jobId, s => s.GetProperty("progress").GetProperty("chunks").GetProperty("loaded").GetInt32() >= 1, TimeSpan.FromMinutes(1), Ct);

        var second = await bed.Api.SubmitAsync(bed.Dataset.Name, SensorPayload.Generate(10).Bytes, "application/x-ndjson", idempotencyKey: "small", cancellationToken: Ct);
        var retried = await bed.Api.SubmitAsync(bed.Dataset.Name, running.Bytes, "application/x-ndjson", idempotencyKey: "big", cancellationToken: Ct);

        Assert.Equal(HttpStatusCode.TooManyRequests, second.Status);
        Assert.NotEmpty(second.Header("Retry-After"));
        Assert.Contains(bed.Dataset.Name, second.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, retried.Status);
        Assert.Equal("true", retried.Header("Idempotent-Replayed"));
        Assert.Equal(jobId, retried.Json.GetProperty("jobId").GetString());
        await bed.Api.WaitForTerminalAsync(jobId, TimeSpan.FromMinutes(2), Ct);
        await running.AssertLoadedExactlyAsync(bed.Engine, bed.Dataset.Name, jobId, Ct);
    }

    [Fact]
    public async Task Chunk_loads_of_every_job_together_never_exceed_the_activities_the_host_runs_at_once()
    {
        const int activities = 2;
        var settings = new Dictionary<string, string?>
        {
            ["AzureFunctionsJobHost:extensions:durableTask:maxConcurrentActivityFunctions"] = activities.ToString(CultureInfo.InvariantCulture),
            ["BulkDurable:Ingestion:ChunkRecords"] = "200",
            ["BulkDurable:Orchestration:MaxChunksInFlight"] = "4",
        };
        await using var bed = await DurableTestBed.CreateAsync(servers, settings, Ct, chunkDelay: TimeSpan.FromMilliseconds(200));
        var payloads = Enumerable.Range(0, 3).Select(j => SensorPayload.Generate(1_600, sensor: i => $"j{j}-s{i % 50}")).ToList();

        using var sampling = new CancellationTokenSource();
        var sampler = SampleLoadsAsync(bed, sampling.Token);
        var jobIds = new List<string>();
        foreach (var payload in payloads)
        {
            jobIds.Add((await bed.Api.SubmitAsync(bed.Dataset.Name, payload.Bytes, "application/x-ndjson", cancellationToken: Ct)).Json.GetProperty("jobId").GetString()!);
        }

        foreach (var jobId in jobIds)
        {
            Assert.Equal("Completed", (await bed.Api.WaitForTerminalAsync(jobId, TimeSpan.FromMinutes(2), Ct)).GetProperty("state").GetString());
        }

        await sampling.CancelAsync();
        var (samples, most) = await sampler;
        Assert.True(samples > 20, $"only {samples} samples were taken");
        Assert.InRange(most, 1, activities);
        Assert.Equal(3 * 1_600, await bed.RowCountAsync());
    }

    /// <summary>Samples pg_stat_activity for statements writing the dataset's table (chunk loads: COPY or INSERT); returns the samples taken and the most seen at once.</summary>
    private static async Task<(int Samples, int Most)> SampleLoadsAsync(DurableTestBed bed, CancellationToken stop)
    {
        var table = bed.Dataset.Table[(bed.Dataset.Table.IndexOf('.', StringComparison.Ordinal) + 1)..];
        int samples = 0, most = 0;
        while (!stop.IsCancellationRequested)
        {
            await using (var command = bed.DataSource.CreateCommand("SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND pid <> pg_backend_pid() AND query ILIKE $1"))
            {
                command.Parameters.AddWithValue($"%{table}%");
                most = Math.Max(most, (int)(long)(await command.ExecuteScalarAsync(CancellationToken.None))!);
            }

            samples++;
            try
            {
                await Task.Delay(25, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return (samples, most);
    }

    private static async Task<int> UploadCountAsync(DurableTestBed bed)
    {
        var count = 0;
        await foreach (var _ in bed.Engine.Store.Container.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, "uploads/", Ct))
        {
            count++;
        }

        return count;
    }
}
