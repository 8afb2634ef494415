using System.Text.RegularExpressions;
using BulkDurable.Ingestion.Catalog;
using BulkDurable.Ingestion.Diagnostics;
using Npgsql;

namespace BulkDurable.Ingestion.Schema;

/// <summary>
/// Grants a PostgreSQL role exactly what the app needs to run jobs: <c>USAGE</c> on the
/// <c>bulkdurable</c> schema and on every catalog dataset's schema, <c>SELECT, INSERT, UPDATE</c> on
/// the chunk ledger and on every dataset's table, and <c>USAGE</c> on the sequences those tables'
/// columns draw defaults from. Used where the tables belong to another role than the app's (in
/// Azure, an Entra administrator runs the migrations and grants the app's managed identity).
/// Idempotent: granting again changes nothing; run it again after a migration or catalog change.
/// </summary>
public sealed partial class SchemaGrants(NpgsqlDataSource dataSource, DatasetCatalog catalog)
{
    /// <summary>The privileges granted on each table.</summary>
    public const string TablePrivileges = "SELECT, INSERT, UPDATE";

    private const string LedgerSchema = "bulkdurable";
    private const string LedgerTable = "chunk_ledger";

    /// <summary>
    /// Whether <paramref name="role"/> is a role name this class accepts: 1-63 ASCII letters,
    /// digits, spaces or <c>_ . @ # -</c>, starting with a letter, digit or underscore and not
    /// ending with a space. That covers managed identity names, user principal names (guests'
    /// <c>#EXT#</c> form included) and group display names, and nothing that needs escaping.
    /// </summary>
    public static bool IsValidRoleName(string? role) => role is not null && RoleName().IsMatch(role);

    /// <summary>Grants <paramref name="role"/> the app's privileges, in one transaction.</summary>
    /// <returns>The statements executed, in order.</returns>
    /// <exception cref="ArgumentException">The role name is not valid, or no such role exists.</exception>
    public async Task<IReadOnlyList<string>> GrantAsync(string role, CancellationToken cancellationToken)
    {
        if (!IsValidRoleName(role))
        {
            throw new ArgumentException(
                $"'{InputText.Show(role)}' is not a valid role name: use 1-63 letters, digits, spaces or _ . @ # - (starting with a letter, digit or underscore).",
                nameof(role));
        }

        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                if (!await RoleExistsAsync(connection, role, cancellationToken).ConfigureAwait(false))
                {
                    throw new ArgumentException($"Role '{role}' does not exist in this database server; create it first (in Azure: the managed identity's role).", nameof(role));
                }

                var statements = new List<string>();
                foreach (var statement in await PlanAsync(connection, SqlIdentifier.Quote(role), cancellationToken).ConfigureAwait(false))
                {
                    using var command = new NpgsqlCommand(statement, connection);
                    await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    statements.Add(statement);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return statements;
            }
        }
    }

    private async Task<List<string>> PlanAsync(NpgsqlConnection connection, string grantee, CancellationToken cancellationToken)
    {
        var tables = new List<(string Schema, string Table)> { (LedgerSchema, LedgerTable) };
        tables.AddRange(catalog.Datasets.Select(d => (d.Schema, d.Table)));
        tables = tables.Distinct().ToList();

        var statements = new List<string>();
        foreach (var schema in tables.Select(t => t.Schema).Distinct(StringComparer.Ordinal))
        {
            statements.Add($"GRANT USAGE ON SCHEMA {SqlIdentifier.Quote(schema)} TO {grantee}");
        }

        foreach (var (schema, table) in tables)
        {
            statements.Add($"GRANT {TablePrivileges} ON TABLE {SqlIdentifier.Quote(schema)}.{SqlIdentifier.Quote(table)} TO {grantee}");
        }

        // A serial column's default calls nextval(), which needs USAGE on its sequence; identity
        // columns need nothing more than INSERT on the table.
        foreach (var (schema, table) in tables)
        {
            foreach (var (sequenceSchema, sequence) in await ColumnSequencesAsync(connection, schema, table, cancellationToken).ConfigureAwait(false))
            {
                statements.Add($"GRANT USAGE ON SEQUENCE {SqlIdentifier.Quote(sequenceSchema)}.{SqlIdentifier.Quote(sequence)} TO {grantee}");
            }
        }

        return statements;
    }

    private static async Task<bool> RoleExistsAsync(NpgsqlConnection connection, string role, CancellationToken cancellationToken)
    {
        using var command = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)", connection);
        command.Parameters.Add(new() { Value = role });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private static async Task<List<(string Schema, string Name)>> ColumnSequencesAsync(NpgsqlConnection connection, string schema, string table, CancellationToken cancellationToken)
    {
        using var command = new NpgsqlCommand(
            """
            SELECT DISTINCT n.nspname::text, s.relname::text
            FROM pg_depend d
            JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
            JOIN pg_namespace n ON n.oid = s.relnamespace
            JOIN pg_class t ON t.oid = d.refobjid
            JOIN pg_namespace tn ON tn.oid = t.relnamespace
            WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
              AND d.deptype = 'a' AND tn.nspname = $1 AND t.relname = $2
            ORDER BY 1, 2
            """,
            connection);
        command.Parameters.Add(new() { Value = schema });
        command.Parameters.Add(new() { Value = table });
        var sequences = new List<(string, string)>();
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                sequences.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        return sequences;
    }

    [GeneratedRegex("^(?=.{1,63}$)[A-Za-z0-9_][A-Za-z0-9_.@# -]*(?<! )$", RegexOptions.CultureInvariant)]
    private static partial Regex RoleName();
}
