using System.Globalization;
using BulkDurable.Testing;

namespace BulkDurable.EndToEnd.Tests.Infrastructure;

/// <summary>
/// One test's world: a <c>sensor_readings</c>-shaped dataset with a table of its own, the engine's view
/// of it (for the <see cref="InvariantChecker"/>), and a running Functions host that has the dataset in
/// its catalog, with a task hub and blob container of its own.
/// </summary>
public sealed class DurableTestBed : IAsyncDisposable
{
    private DurableTestBed(Npgsql.NpgsqlDataSource dataSource, TestDataset dataset, IngestionTestHost engine, FunctionsHost host)
    {
        DataSource = dataSource;
        Dataset = dataset;
        Engine = engine;
        Host = host;
        Api = new JobsApi(host.Http);
    }

    /// <summary>The database of the dataset's table, for the test's own setup and assertions.</summary>
    public Npgsql.NpgsqlDataSource DataSource { get; }

    public TestDataset Dataset { get; }

    public IngestionTestHost Engine { get; }

    public FunctionsHost Host { get; }

    public JobsApi Api { get; }

    /// <summary>
    /// Creates the dataset and starts the host with <paramref name="settings"/> (e.g. chunk size; keys
    /// under <c>BulkDurable:</c> are the app's, others the host's own). With <paramref name="chunkDelay"/>,
    /// every statement that writes the dataset's table waits that long in PostgreSQL (a statement
    /// trigger), so a job runs long enough to be interrupted, on any host. A private PostgreSQL or
    /// Azurite replaces the shared one, for tests that restart it.
    /// </summary>
    public static async Task<DurableTestBed> CreateAsync(
        ServersFixture servers,
        IReadOnlyDictionary<string, string?>? settings,
        CancellationToken cancellationToken,
        TimeSpan? chunkDelay = null,
        PrivatePostgres? postgres = null,
        PrivateAzurite? azurite = null)
    {
        ArgumentNullException.ThrowIfNull(servers);
        var dataSource = postgres?.DataSource ?? servers.DataSource;
        var local = servers.Servers;
        local = postgres?.With(local) ?? local;
        local = azurite?.With(local) ?? local;
        var dataset = await TestDataset.SensorReadingsAsync(dataSource);
        if (chunkDelay is { } delay)
        {
            await SlowDownAsync(dataSource, dataset, delay);
        }

        // The app's settings go to the engine (and from it to the host); the rest are the host's own.
        var all = settings ?? new Dictionary<string, string?>();
        var engineSettings = all.Where(s => s.Key.StartsWith("BulkDurable:", StringComparison.Ordinal)).ToDictionary();
        var hostSettings = all.Where(s => !s.Key.StartsWith("BulkDurable:", StringComparison.Ordinal)).ToDictionary();
        var engine = IngestionTestHost.Create(local, engineSettings, dataset);
        try
        {
            var host = await FunctionsHost.StartAsync(engine, hostSettings, cancellationToken);
            return new DurableTestBed(dataSource, dataset, engine, host);
        }
        catch
        {
            await engine.DisposeAsync();
            throw;
        }
    }

    /// <summary>Rows in the dataset's table.</summary>
    public Task<long> RowCountAsync() => Dataset.CountAsync(DataSource);

    /// <summary>Chunks of a job in the ledger.</summary>
    public async Task<int> LoadedChunksAsync(string jobId)
    {
        await using var command = DataSource.CreateCommand("SELECT count(*) FROM bulkdurable.chunk_ledger WHERE job_id = $1");
        command.Parameters.AddWithValue(jobId);
        return (int)(long)(await command.ExecuteScalarAsync())!;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Engine.DisposeAsync();
    }

    private static async Task SlowDownAsync(Npgsql.NpgsqlDataSource dataSource, TestDataset dataset, TimeSpan delay)
    {
        var function = dataset.Table + "_slow";
        var seconds = delay.TotalSeconds.ToString(CultureInfo.InvariantCulture);
        await using var command = dataSource.CreateCommand(
            $"CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep({seconds}); RETURN NULL; END $$; "
            + $"CREATE TRIGGER slow_writes AFTER INSERT OR UPDATE ON {dataset.Table} FOR EACH STATEMENT EXECUTE FUNCTION {function}();");
        await command.ExecuteNonQueryAsync();
    }
}
