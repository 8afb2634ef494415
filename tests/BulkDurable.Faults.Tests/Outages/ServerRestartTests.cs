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
using Npgsql;

namespace BulkDurable.Faults.Tests.Outages;

/// <summary>
/// A server (one of this test's own) is restarted while chunks are loading: the loads in flight fail
/// (PostgreSQL rolls their transactions back; Azurite's chunk reads and rejection-file writes fail),
/// the runner retries them with exponential back-off and jitter, and the job completes with every
/// record exactly once.
/// </summary>
public sealed class ServerRestartTests(ServersFixture servers)
{
    private const int Records = 40_000;
    private const int RestartAfterCommit = 3;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_postgresql_restart_during_a_load_is_retried_with_backoff_and_the_job_completes_exactly()
    {
        await using var postgres = await PrivatePostgres.StartAsync();

        await AssertRestartIsRetriedAsync("PostgreSQL", postgres.With(servers.Servers), postgres.DataSource, postgres.RestartAsync, _ => { });
    }

    [Fact]
    public async Task An_azurite_restart_during_a_load_is_retried_with_backoff_and_the_job_completes_exactly()
    {
        await using var azurite = await PrivateAzurite.StartAsync();

        await AssertRestartIsRetriedAsync(
            "Azurite",
            azurite.With(servers.Servers),
            servers.DataSource,
            azurite.RestartAsync,
            services => services.AddSingleton(sp => FailFastBlobClient(sp.GetRequiredService<IOptions<StorageOptions>>().Value)));
    }

    private static async Task AssertRestartIsRetriedAsync(string server, LocalServers hostServers, NpgsqlDataSource dataSource, Func<Task> restartAsync, Action<IServiceCollection> configureServices)
    {
        var dataset = await TestDataset.SensorReadingsAsync(dataSource);
        var retries = new RetryLog();
        var restart = new CallbackFaultInjector(FaultPoint.ChunkCommitted, RestartAfterCommit, restartAsync);
        await using var host = IngestionTestHost.Create(
            hostServers,
            OutageSettings.Retrying(maxAttempts: 12),
            services => configureServices(services.AddSingleton<IFaultInjector>(restart).AddSingleton<ILoggerProvider>(retries)),
            dataset);
        var payload = SensorPayload.Generate(Records, invalidEvery: 997);

        var run = await host.RunAsync(await host.SubmitAsync(dataset.Name, PayloadFormat.Ndjson, payload.Bytes), parallelism: 3, Ct);

        Assert.True(restart.Fired, "the restart never happened");
        Assert.Empty(run.Result.FailedChunks);
        Assert.NotEmpty(retries.Retries);
        retries.AssertExponentialBackoffWithJitter(host.Get<IOptions<OrchestrationOptions>>().Value.Retry);
        await payload.AssertLoadedExactlyAsync(host, dataset.Name, run.Result.JobId, Ct);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{server} restarted after chunk commit #{RestartAfterCommit} of {run.Result.ChunkCount}: {retries.Retries.Count} retries ({retries.Describe()}), max attempt {retries.Retries.Max(r => r.Attempt)}, 0 failed chunks, {run.Result.Inserted} inserted, {run.Result.Rejected} rejected");
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
