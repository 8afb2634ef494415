using BulkDurable.Ingestion.Schema;
using BulkDurable.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace BulkDurable.Ingestion.Tests.Schema;

public sealed class SchemaMigratorTests(ServersFixture servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Migrations_are_versioned_and_applying_them_again_changes_nothing()
    {
        var migrator = new SchemaMigrator(servers.DataSource, NullLogger<SchemaMigrator>.Instance);

        var applied = await migrator.MigrateAsync(Ct);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => migrator.MigrateAsync(Ct)));

        Assert.Empty(applied);
        await using var command = servers.DataSource.CreateCommand("SELECT array_agg(version ORDER BY version) FROM bulkdurable.schema_version");
        Assert.Equal(Migration.Embedded.Select(m => m.Version), (int[])(await command.ExecuteScalarAsync(Ct))!);
        Assert.Contains(Migration.Embedded, m => m.Name == "sensor_readings");
    }

    [Fact]
    public async Task An_edited_migration_is_refused()
    {
        await using var connection = await servers.DataSource.OpenConnectionAsync(Ct);
        await using var transaction = await connection.BeginTransactionAsync(Ct);
        await using (var tamper = new Npgsql.NpgsqlCommand("UPDATE bulkdurable.schema_version SET checksum = 'edited' WHERE version = 1", connection))
        {
            await tamper.ExecuteNonQueryAsync(Ct);
        }

        // The migrator runs on its own connection and waits for this transaction's row lock; check
        // the refusal on a data source that sees the edit instead: a single-connection one.
        var single = new Npgsql.NpgsqlDataSourceBuilder(servers.Servers.PostgresConnectionString).Build();
        await using (single)
        {
            await transaction.CommitAsync(Ct);
            try
            {
                var error = await Assert.ThrowsAsync<InvalidOperationException>(() => new SchemaMigrator(single, NullLogger<SchemaMigrator>.Instance).MigrateAsync(Ct));
                Assert.Contains("was changed after it was applied", error.Message, StringComparison.Ordinal);
            }
            finally
            {
                await using var restore = servers.DataSource.CreateCommand($"UPDATE bulkdurable.schema_version SET checksum = '{Migration.Embedded[0].Checksum}' WHERE version = 1");
                await restore.ExecuteNonQueryAsync(Ct);
            }
        }
    }
}
