using BulkDurable.Ingestion.Diagnostics;
using BulkDurable.Ingestion.Jobs;
using BulkDurable.Ingestion.Payloads;
using BulkDurable.Ingestion.Staging;
using BulkDurable.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace BulkDurable.Ingestion.Tests.Running;

/// <summary>
/// The direct runner loads chunks while the planner is still cutting them. The plan is deterministic,
/// so a run that stops before its plan is written resumes under the same plan: nothing twice, nothing lost.
/// </summary>
public sealed class DirectJobRunnerTests(ServersFixture servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Payload(int records) =>
        string.Join("\n", Enumerable.Range(1, records).Select(i => $"{{\"sensor_id\":\"s{i % 37}\",\"sampled_at\":\"{DateTime.UnixEpoch.AddSeconds(i):O}\",\"value\":{i}}}"));

    [Fact]
    public async Task A_run_that_fails_while_planning_resumes_under_the_same_plan_without_loading_a_chunk_twice()
    {
        var dataset = await TestDataset.SensorReadingsAsync(servers.DataSource);
        var faults = new FailWhilePlanning(afterChunks: 12);
        var settings = new Dictionary<string, string?> { ["BulkDurable:Ingestion:ChunkRecords"] = "500" };
        await using var failing = IngestionTestHost.Create(servers.Servers, settings, services => services.AddSingleton<IFaultInjector>(faults), dataset);
        var job = await failing.SubmitAsync(dataset.Name, PayloadFormat.Ndjson, Payload(20_000));

        await Assert.ThrowsAsync<InvalidOperationException>(() => failing.RunAsync(job, 2, Ct));
        var loadedBeforeFailure = await dataset.CountAsync(servers.DataSource);
        Assert.False(await failing.Store.ExistsAsync(BlobLayout.Manifest(job.JobId), Ct));
        Assert.InRange(loadedBeforeFailure, 1, 20_000 - 1);

        // Same blob container, other chunking configured: the job's settings were fixed when it was accepted.
        var resumeSettings = new Dictionary<string, string?>
        {
            ["BulkDurable:Ingestion:ChunkRecords"] = "700",
            ["BulkDurable:Storage:Container"] = failing.Configuration["BulkDurable:Storage:Container"],
        };
        await using var resuming = IngestionTestHost.Create(servers.Servers, resumeSettings, dataset);
        var run = await resuming.RunAsync(job, 2, Ct);

        Assert.Equal(JobState.Completed, run.Result.State);
        Assert.Equal(40, run.Result.ChunkCount);
        Assert.Equal(20_000, run.Result.Inserted);
        Assert.Equal(loadedBeforeFailure / 500, run.ChunksSkipped);
        Assert.Equal(20_000, await dataset.CountAsync(servers.DataSource));
    }

    [Fact]
    public async Task A_job_accepted_with_other_chunking_settings_than_its_ledger_is_refused()
    {
        var dataset = await TestDataset.SensorReadingsAsync(servers.DataSource);
        await using var host = IngestionTestHost.Create(servers.Servers, null, dataset);
        var job = await host.SubmitAsync(dataset.Name, PayloadFormat.Ndjson, Payload(1_000)) with { ChunkRecords = 100 };
        Assert.Equal(1_000, (await host.RunAsync(job, 2, Ct)).Result.Inserted);

        // Its files lost, the id comes back with another chunking: the ledger's chunk indexes would lie.
        await host.Store.DeleteIfExistsAsync(BlobLayout.Manifest(job.JobId), Ct);
        await host.Store.DeleteIfExistsAsync(BlobLayout.Job(job.JobId), Ct);
        var result = (await host.RunAsync(job with { ChunkRecords = 300 }, 2, Ct)).Result;

        Assert.Equal(JobState.Failed, result.State);
        Assert.Contains("from another plan", result.Error, StringComparison.Ordinal);
        Assert.Equal(1_000, await dataset.CountAsync(servers.DataSource));
    }

    /// <summary>Fails the planning once it has cut a number of chunks (a storage outage, a crash).</summary>
    private sealed class FailWhilePlanning(int afterChunks) : IFaultInjector
    {
        public ValueTask ReachedAsync(FaultPoint point, string jobId, int? chunkIndex, CancellationToken cancellationToken) =>
            point == FaultPoint.ChunkPlanned && chunkIndex == afterChunks ? throw new InvalidOperationException("planning interrupted") : ValueTask.CompletedTask;
    }
}
