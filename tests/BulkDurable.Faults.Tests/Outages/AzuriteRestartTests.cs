using Azure.Core;
using Azure.Storage.Blobs;
using BulkDurable.Faults.Tests.Infrastructure;
using BulkDurable.Ingestion.Configuration;
using BulkDurable.Ingestion.Diagnostics;
using BulkDurable.Ingestion.Payloads;
using BulkDurable.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BulkDurable.Faults.Tests.Outages;

/// <summary>
/// Azurite (an emulator of this test's own, persisting to disk) is restarted while chunks are
/// loading: chunk reads and rejection-file writes fail, the loads are retried with back-off, and
/// the job completes with every record exactly once.
/// </summary>
public sealed class AzuriteRestartTests(ServersFixture servers)
{
    private const int Records = 40_000;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_azurite_restart_during_a_load_is_retried_with_backoff_and_the_job_completes_exactly()
    {
        await using var azurite = await PrivateAzurite.StartAsync();
        var dataset = await TestDataset.SensorReadingsAsync(servers.DataSource);
        var retries = new RetryLog();
        var restart = new CallbackFaultInjector(FaultPoint.ChunkCommitted, 3, azurite.RestartAsync);
        await using var host = IngestionTestHost.Create(
            azurite.With(servers.Servers),
            OutageSettings.Retrying(maxAttempts: 12),
            services => services
                .AddSingleton<IFaultInjector>(restart)
                .AddSingleton<ILoggerProvider>(retries)
                .AddSingleton(sp => FailFastBlobClient(sp.GetRequiredService<IOptions<StorageOptions>>().Value)),
            dataset);
        var payload = SensorPayload.Generate(Records, invalidEvery: 997);

        var run = await host.RunAsync(await host.SubmitAsync(dataset.Name, PayloadFormat.Ndjson, payload.Bytes), parallelism: 3, Ct);

        Assert.True(restart.Fired, "the restart never happened");
        Assert.Empty(run.Result.FailedChunks);
        Assert.NotEmpty(retries.Retries);
        retries.AssertExponentialBackoffWithJitter(host.Get<IOptions<OrchestrationOptions>>().Value.Retry);
        await payload.AssertLoadedExactlyAsync(host, dataset.Name, run.Result.JobId, Ct);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"Azurite restarted after chunk commit #3 of {run.Result.ChunkCount}: {retries.Retries.Count} retries ({retries.Describe()}), max attempt {retries.Retries.Max(r => r.Attempt)}, 0 failed chunks, {run.Result.Inserted} inserted, {run.Result.Rejected} rejected");
    }

    /// <summary>
    /// The production client retries 6 times itself (200 ms to 10 s), which usually hides a short
    /// restart inside one call. One quick retry here lets the outage reach the engine, so that its
    /// classification of storage failures and the runner's back-off are what is tested.
    /// </summary>
    private static BlobServiceClient FailFastBlobClient(StorageOptions options) =>
        new(options.ConnectionString, new BlobClientOptions
        {
            Retry = { Mode = RetryMode.Fixed, MaxRetries = 1, Delay = TimeSpan.FromMilliseconds(50), NetworkTimeout = TimeSpan.FromSeconds(10) },
        });
}
