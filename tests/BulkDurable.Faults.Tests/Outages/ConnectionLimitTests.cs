using BulkDurable.Faults.Tests.Infrastructure;
using BulkDurable.Ingestion.Configuration;
using BulkDurable.Ingestion.Payloads;
using BulkDurable.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BulkDurable.Faults.Tests.Outages;

/// <summary>
/// PostgreSQL with max_connections = 6 (3 left for applications after the superuser reserve)
/// while the runner loads 6 chunks at once: the server refuses connections (SQLSTATE 53300), the
/// refused loads back off and retry, which throttles the job to what the server allows; no chunk
/// fails and the job completes exactly.
/// </summary>
public sealed class ConnectionLimitTests(ServersFixture servers)
{
    private const int Records = 30_000;
    private const int MaxConnections = 6;
    private const int Parallelism = 6;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_server_with_very_few_connections_slows_the_job_down_but_fails_nothing()
    {
        await using var postgres = await PrivatePostgres.StartAsync(MaxConnections);
        var dataset = await TestDataset.SensorReadingsAsync(postgres.DataSource);
        postgres.DataSource.Clear();
        var retries = new RetryLog();
        await using var host = IngestionTestHost.Create(
            postgres.With(servers.Servers),
            OutageSettings.Retrying(maxAttempts: 30),
            services => services.AddSingleton<ILoggerProvider>(retries),
            dataset);
        var payload = SensorPayload.Generate(Records, invalidEvery: 997);

        var run = await host.RunAsync(await host.SubmitAsync(dataset.Name, PayloadFormat.Ndjson, payload.Bytes), Parallelism, Ct);

        Assert.Empty(run.Result.FailedChunks);
        Assert.Contains(retries.Retries, r => r.Cause == "SQLSTATE 53300");
        retries.AssertExponentialBackoffWithJitter(host.Get<IOptions<OrchestrationOptions>>().Value.Retry);

        // The engine's idle connections hold the server's few slots; the checks need one.
        host.DataSource.Clear();
        await payload.AssertLoadedExactlyAsync(host, dataset.Name, run.Result.JobId, Ct);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"max_connections={MaxConnections}, {Parallelism} chunks in flight, {run.Result.ChunkCount} chunks: {retries.Retries.Count} retries ({retries.Describe()}), max attempt {retries.Retries.Max(r => r.Attempt)}, 0 failed chunks");
    }
}
