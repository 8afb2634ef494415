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
    private DurableTestBed(ServersFixture servers, TestDataset dataset, IngestionTestHost engine, FunctionsHost host)
    {
        Servers = servers;
        Dataset = dataset;
        Engine = engine;
        Host = host;
        Api = new JobsApi(host.Http);
    }

    public ServersFixture Servers { get; }

    public TestDataset Dataset { get; }

    public IngestionTestHost Engine { get; }

    public FunctionsHost Host { get; }

    public JobsApi Api { get; }

    /// <summary>
    /// Creates the dataset and starts the host with <paramref name="settings"/> (e.g. chunk size).
    /// With <paramref name="chunkDelay"/>, every statement that writes the dataset's table waits that
    /// long in PostgreSQL (a statement trigger), so a job runs long enough to be interrupted, on any host.
    /// </summary>
    public static async Task<DurableTestBed> CreateAsync(ServersFixture servers, IReadOnlyDictionary<string, string?>? settings, CancellationToken cancellationToken, TimeSpan? chunkDelay = null)
    {
        ArgumentNullException.ThrowIfNull(servers);
        var dataset = await TestDataset.SensorReadingsAsync(servers.DataSource);
        if (chunkDelay is { } delay)
        {
            await SlowDownAsync(servers, dataset, delay);
        }

        // The app's settings go to the engine (and from it to the host); the rest are the host's own.
        var all = settings ?? new Dictionary<string, string?>();
        var engineSettings = all.Where(s => s.Key.StartsWith("BulkDurable:", StringComparison.Ordinal)).ToDictionary();
        var hostSettings = all.Where(s => !s.Key.StartsWith("BulkDurable:", StringComparison.Ordinal)).ToDictionary();
        var engine = IngestionTestHost.Create(servers.Servers, engineSettings, dataset);
        try
        {
            var host = await FunctionsHost.StartAsync(engine, hostSettings, cancellationToken);
            return new DurableTestBed(servers, dataset, engine, host);
        }
        catch
        {
            await engine.DisposeAsync();
            throw;
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Engine.DisposeAsync();
    }

    private static async Task SlowDownAsync(ServersFixture servers, TestDataset dataset, TimeSpan delay)
    {
        var function = dataset.Table + "_slow";
        var seconds = delay.TotalSeconds.ToString(CultureInfo.InvariantCulture);
        await using var command = servers.DataSource.CreateCommand(
            $"CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep({seconds}); RETURN NULL; END $$; "
            + $"CREATE TRIGGER slow_writes AFTER INSERT OR UPDATE ON {dataset.Table} FOR EACH STATEMENT EXECUTE FUNCTION {function}();");
        await command.ExecuteNonQueryAsync();
    }
}
