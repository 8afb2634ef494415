using BulkDurable.Ingestion.Schema;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Xunit;

namespace BulkDurable.Testing;

/// <summary>
/// One per test assembly: finds (or starts) the servers, applies the migrations and creates the
/// schema test tables live in.
/// </summary>
public sealed class ServersFixture : IAsyncLifetime
{
    /// <summary>Schema of the tables tests create for their own datasets.</summary>
    public const string TestSchema = "bulkdurable_test";

    private NpgsqlDataSource? _dataSource;

    public LocalServers Servers { get; private set; } = null!;

    /// <summary>A data source for assertions (row counts, checksums).</summary>
    public NpgsqlDataSource DataSource => _dataSource ?? throw new InvalidOperationException("Not initialized.");

    public async ValueTask InitializeAsync()
    {
        Servers = LocalServers.Resolve();
        _dataSource = NpgsqlDataSource.Create(Servers.PostgresConnectionString);
        await new SchemaMigrator(_dataSource, NullLogger<SchemaMigrator>.Instance).MigrateAsync(CancellationToken.None);
        await using var command = _dataSource.CreateCommand($"CREATE SCHEMA IF NOT EXISTS {TestSchema}");
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }
    }
}
