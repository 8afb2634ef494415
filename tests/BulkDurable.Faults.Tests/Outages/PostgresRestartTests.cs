using BulkDurable.Faults.Tests.Infrastructure;
using BulkDurable.Ingestion.Configuration;
using BulkDurable.Ingestion.Diagnostics;
using BulkDurable.Ingestion.Payloads;
using BulkDurable.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BulkDurable.Faults.Tests.Outages;

/// <summary>
/// PostgreSQL (a cluster of this test's own) is restarted while chunks are loading: transactions in
/// flight are rolled back by the server, loads fail with connection errors, the runner retries them
/// with exponential back-off and jitter, and the job completes with every record exactly once.
/// </summary>
public sealed class PostgresRestartTests(ServersFixture servers)
{
    private const int Records = 40_000;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_postgresql_restart_during_a_load_is_retried_with_backoff_and_the_job_completes_exactly()
    {
        await using var postgres = await PrivatePostgres.StartAsync();
        var dataset = await TestDataset.SensorReadingsAsync(postgres.DataSource);
        var retries = new RetryLog();
        var restart = new CallbackFaultInjector(FaultPoint.ChunkCommitted, 3, postgres.RestartAsync);
        await using var host = IngestionTestHost.Create(
            postgres.With(servers.Servers),
            OutageSettings.Retrying(maxAttempts: 12),
            services => services.AddSingleton<IFaultInjector>(restart).AddSingleton<ILoggerProvider>(retries),
            dataset);
        var payload = SensorPayload.Generate(Records, invalidEvery: 997);

        var run = await host.RunAsync(await host.SubmitAsync(dataset.Name, PayloadFormat.Ndjson, payload.Bytes), parallelism: 3, Ct);

        Assert.True(restart.Fired, "the restart never happened");
        Assert.Empty(run.Result.FailedChunks);
        Assert.NotEmpty(retries.Retries);
        retries.AssertExponentialBackoffWithJitter(host.Get<Microsoft.Extensions.Options.IOptions<OrchestrationOptions>>().Value.Retry);
        await payload.AssertLoadedExactlyAsync(host, dataset.Name, run.Result.JobId, Ct);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"PostgreSQL restarted after chunk commit #3 of {run.Result.ChunkCount}: {retries.Retries.Count} retries ({retries.Describe()}), max attempt {retries.Retries.Max(r => r.Attempt)}, 0 failed chunks, {run.Result.Inserted} inserted, {run.Result.Rejected} rejected");
    }
}
