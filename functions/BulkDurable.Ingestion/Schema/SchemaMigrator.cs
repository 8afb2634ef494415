using BulkDurable.Ingestion.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace BulkDurable.Ingestion.Schema;

/// <summary>
/// Applies the embedded migrations that a database lacks, in one transaction, under an advisory
/// lock so that concurrent starters (test runs, app instances) apply each version exactly once.
/// Versions already applied are checked against their checksums.
/// </summary>
public sealed class SchemaMigrator(NpgsqlDataSource dataSource, ILogger<SchemaMigrator> logger)
{
    // Arbitrary, fixed: identifies "BulkDurable schema migration" among advisory locks.
    private const long AdvisoryLockKey = 0x42_75_6C_6B_44_75_72_01;

    /// <summary>Brings the schema up to date; returns the versions applied by this call.</summary>
    /// <exception cref="InvalidOperationException">An applied migration's script has changed.</exception>
    public async Task<IReadOnlyList<Migration>> MigrateAsync(CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var transactionScope = transaction.ConfigureAwait(false);

        await ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({AdvisoryLockKey})", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(
            connection,
            """
            CREATE SCHEMA IF NOT EXISTS bulkdurable;
            CREATE TABLE IF NOT EXISTS bulkdurable.schema_version (
                version    integer     PRIMARY KEY,
                name       text        NOT NULL,
                checksum   text        NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            );
            """,
            cancellationToken).ConfigureAwait(false);

        var applied = new Dictionary<int, string>();
        using (var command = new NpgsqlCommand("SELECT version, checksum FROM bulkdurable.schema_version", connection))
        {
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using var readerScope = reader.ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                applied[reader.GetInt32(0)] = reader.GetString(1);
            }
        }

        var newlyApplied = new List<Migration>();
        foreach (var migration in Migration.Embedded)
        {
            if (applied.TryGetValue(migration.Version, out var checksum))
            {
                if (checksum != migration.Checksum)
                {
                    throw new InvalidOperationException(
                        $"Migration {migration.Version} ({migration.Name}) was changed after it was applied. Add a new migration instead of editing an applied one.");
                }

                continue;
            }

            await ExecuteAsync(connection, migration.Sql, cancellationToken).ConfigureAwait(false);
            using var record = new NpgsqlCommand("INSERT INTO bulkdurable.schema_version (version, name, checksum) VALUES ($1, $2, $3)", connection)
            {
                Parameters = { new() { Value = migration.Version }, new() { Value = migration.Name }, new() { Value = migration.Checksum } },
            };
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            newlyApplied.Add(migration);
            Log.MigrationApplied(logger, migration.Version, migration.Name);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        if (newlyApplied.Count == 0)
        {
            Log.SchemaUpToDate(logger, Migration.Embedded.Count);
        }

        return newlyApplied;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
