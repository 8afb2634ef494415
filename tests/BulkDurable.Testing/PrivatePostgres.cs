using BulkDurable.Ingestion.Schema;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace BulkDurable.Testing;

/// <summary>
/// A PostgreSQL cluster of one test's own (<c>infra/postgres.sh</c> in <c>.local/test-run/pg-*</c>),
/// so that restarting it or starving it of connections never disturbs the tests running beside it.
/// Migrated and given the test schema like the shared server; stopped and deleted on dispose.
/// </summary>
public sealed class PrivatePostgres : IAsyncDisposable
{
    private readonly string _directory;
    private readonly int? _maxConnections;

    private PrivatePostgres(string directory, int? maxConnections, string connectionString)
    {
        _directory = directory;
        _maxConnections = maxConnections;
        ConnectionString = connectionString;
        DataSource = NpgsqlDataSource.Create(connectionString);
    }

    public string ConnectionString { get; }

    /// <summary>A data source for the test's own setup and assertions.</summary>
    public NpgsqlDataSource DataSource { get; }

    /// <summary>Servers for an <see cref="IngestionTestHost"/>: this cluster, and the given Azurite.</summary>
    public LocalServers With(LocalServers servers) => servers with { PostgresConnectionString = ConnectionString };

    public static async Task<PrivatePostgres> StartAsync(int? maxConnections = null)
    {
        var directory = RepositoryPaths.Combine(".local", "test-run", "pg-" + Guid.NewGuid().ToString("N")[..8]);
        var output = await Task.Run(() => LocalServers.StartWith("postgres.sh", Arguments(directory, maxConnections)));
        var cluster = new PrivatePostgres(directory, maxConnections, LocalServers.ReadEnv(output, LocalServers.PostgresVariable));
        await new SchemaMigrator(cluster.DataSource, NullLogger<SchemaMigrator>.Instance).MigrateAsync(CancellationToken.None);
        await using (var command = cluster.DataSource.CreateCommand($"CREATE SCHEMA IF NOT EXISTS {ServersFixture.TestSchema}"))
        {
            await command.ExecuteNonQueryAsync();
        }

        cluster.DataSource.Clear();
        return cluster;
    }

    /// <summary>Restarts the server (fast shutdown: sessions are terminated, open transactions roll back), same port.</summary>
    public async Task RestartAsync()
    {
        await Task.Run(() => LocalServers.RunInfra("postgres.sh", ["restart", .. Arguments(_directory, _maxConnections)]));
        DataSource.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        await Task.Run(() =>
        {
            LocalServers.RunInfra("postgres.sh", "stop", "--dir", _directory);
            Directory.Delete(_directory, recursive: true);
        });
    }

    private static string[] Arguments(string directory, int? maxConnections) =>
        maxConnections is { } max
            ? ["--dir", directory, "--max-connections", max.ToString(System.Globalization.CultureInfo.InvariantCulture)]
            : ["--dir", directory];
}
