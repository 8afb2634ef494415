using BulkDurable.Ingestion.Catalog;
using BulkDurable.Testing;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace BulkDurable.Cli.Tests.Infrastructure;

/// <summary>
/// A test's world: a dataset with a table of its own, an engine host with a blob container of its
/// own (the CLI is given the same settings), and a folder for payload files.
/// </summary>
internal sealed class CliTestHost : IAsyncDisposable
{
    private CliTestHost(IngestionTestHost host, TestDataset dataset, NpgsqlDataSource dataSource)
    {
        Host = host;
        Dataset = dataset;
        DataSource = dataSource;
    }

    public IngestionTestHost Host { get; }

    public TestDataset Dataset { get; }

    public NpgsqlDataSource DataSource { get; }

    public TempDirectory Files { get; } = new();

    /// <summary>The settings the CLI runs with: the host's (servers, container, catalog with the test dataset).</summary>
    public IConfiguration Configuration => Host.Configuration;

    public Dataset CatalogDataset => Host.Catalog.Get(Dataset.Name);

    /// <summary>A host over a copy of sensor_readings; without a conflict key, so that a record loaded twice would be two rows.</summary>
    public static async Task<CliTestHost> CreateAsync(ServersFixture servers, bool withConflictKey = true, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var dataset = await TestDataset.SensorReadingsAsync(servers.DataSource, withConflictKey: withConflictKey);
        return new CliTestHost(IngestionTestHost.Create(servers.Servers, settings, dataset), dataset, servers.DataSource);
    }

    public Task<CliResult> RunAsync(params string[] args) => CliRunner.RunAsync(Configuration, args, TestContext.Current.CancellationToken);

    public Task<long> RowCountAsync() => Dataset.CountAsync(DataSource);

    /// <summary>Chunks of the job committed in the ledger.</summary>
    public async Task<long> LedgerChunksAsync(string jobId)
    {
        await using var command = DataSource.CreateCommand("SELECT count(*) FROM bulkdurable.chunk_ledger WHERE job_id = $1 AND completed_at IS NOT NULL");
        command.Parameters.Add(new() { Value = jobId });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Blobs under a prefix of the host's container.</summary>
    public async Task<int> BlobCountAsync(string prefix)
    {
        if (!(await Host.Store.Container.ExistsAsync(TestContext.Current.CancellationToken)).Value)
        {
            return 0;
        }

        var count = 0;
        await foreach (var _ in Host.Store.Container.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, prefix, TestContext.Current.CancellationToken))
        {
            count++;
        }

        return count;
    }

    public async ValueTask DisposeAsync()
    {
        Files.Dispose();
        await Host.DisposeAsync();
    }
}
