using System.Collections.Concurrent;
using BulkDurable.Ingestion.Diagnostics;
using Npgsql;

namespace BulkDurable.Ingestion.Catalog;

/// <summary>
/// Checks a dataset against its table before any job writes to it: the table exists, every
/// column exists with a compatible type, the NOT NULL rule holds both ways, and the conflict key is
/// backed by a unique index (which <c>ON CONFLICT</c> requires). A mismatch is a configuration
/// error, reported before any chunk runs. Successful checks are remembered for the life of the process.
/// <para>
/// The NOT NULL rule: every declared column is written, a record that omits a field writing NULL;
/// so a table column that is NOT NULL must be declared <c>Nullable: false</c> (then a record that
/// omits it is refused while parsing, before anything is written, instead of failing at the
/// database), and a NOT NULL column without a default that is not declared would make every row
/// fail, so it must be declared.
/// </para>
/// </summary>
public sealed class DatasetSchemaVerifier(NpgsqlDataSource dataSource)
{
    private readonly ConcurrentDictionary<string, bool> _verified = new(StringComparer.Ordinal);

    /// <summary>Throws <see cref="DatasetConfigurationException"/> when the table does not fit the dataset.</summary>
    public async Task VerifyAsync(Dataset dataset, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (_verified.ContainsKey(dataset.Name))
        {
            return;
        }

        var problems = await FindProblemsAsync(dataset, cancellationToken).ConfigureAwait(false);
        if (problems.Count > 0)
        {
            throw new DatasetConfigurationException(dataset.Name, problems);
        }

        _verified.TryAdd(dataset.Name, true);
    }

    /// <summary>Lists what does not fit (empty when the table fits).</summary>
    public async Task<IReadOnlyList<string>> FindProblemsAsync(Dataset dataset, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var columns = new Dictionary<string, TableColumn>(StringComparer.Ordinal);
            using (var command = new NpgsqlCommand(
                """
                SELECT column_name, data_type, is_nullable = 'NO',
                       column_default IS NOT NULL OR is_identity = 'YES' OR is_generated = 'ALWAYS'
                FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2
                ORDER BY ordinal_position
                """,
                connection))
            {
                command.Parameters.Add(new() { Value = dataset.Schema });
                command.Parameters.Add(new() { Value = dataset.Table });
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        columns[reader.GetString(0)] = new TableColumn(reader.GetString(1), reader.GetBoolean(2), reader.GetBoolean(3));
                    }
                }
            }

            if (columns.Count == 0)
            {
                return [$"table {dataset.Schema}.{dataset.Table} does not exist (or the app's role cannot see it)"];
            }

            var problems = new List<string>();
            foreach (var column in dataset.Columns)
            {
                if (!columns.TryGetValue(column.Name, out var tableColumn))
                {
                    problems.Add($"column '{column.Name}' does not exist in {dataset.Schema}.{dataset.Table}");
                }
                else if (!column.Type.CompatibleDataTypes().Contains(tableColumn.DataType))
                {
                    problems.Add($"column '{column.Name}' is {tableColumn.DataType} in the database but {column.Type} in the catalog");
                }
                else if (tableColumn.NotNull && column.Nullable)
                {
                    problems.Add($"column '{column.Name}' is NOT NULL in the database but Nullable in the catalog (a record that omits it or sends null would be refused by the database): declare it Nullable: false");
                }
            }

            foreach (var (name, tableColumn) in columns)
            {
                if (tableColumn.NotNull && !tableColumn.HasDefault && !dataset.Columns.Any(c => c.Name == name))
                {
                    problems.Add($"column '{InputText.Show(name)}' is NOT NULL without a default in the database but not declared in the catalog (every row would be refused): declare it with Nullable: false, or give it a default");
                }
            }

            if (dataset.ConflictKey.Count > 0 && problems.Count == 0)
            {
                using var command = new NpgsqlCommand(
                    """
                    SELECT EXISTS (
                        SELECT 1 FROM pg_index i
                        WHERE i.indrelid = to_regclass($1) AND i.indisunique AND i.indpred IS NULL AND i.indexprs IS NULL
                          AND (SELECT array_agg(a.attname::text ORDER BY a.attname) FROM pg_attribute a
                               WHERE a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)) = $2)
                    """,
                    connection);
                command.Parameters.Add(new() { Value = dataset.QualifiedTable });
                command.Parameters.Add(new() { Value = dataset.ConflictKey.Select(c => c.Name).Order(StringComparer.Ordinal).ToArray() });
                if (!(bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
                {
                    problems.Add($"no unique index or primary key on ({string.Join(", ", dataset.ConflictKey.Select(c => c.Name))}), which the conflict key requires");
                }
            }

            return problems;
        }
    }
}

/// <summary>A column of the target table, as the checks need it.</summary>
/// <param name="DataType">Its <c>information_schema</c> data type.</param>
/// <param name="NotNull">Whether it is NOT NULL.</param>
/// <param name="HasDefault">Whether the database fills it when an insert leaves it out (default, identity, generated).</param>
file readonly record struct TableColumn(string DataType, bool NotNull, bool HasDefault);

/// <summary>A dataset's table does not match the catalog. Permanent: fix the configuration or the schema.</summary>
public sealed class DatasetConfigurationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DatasetConfigurationException(string dataset, IReadOnlyList<string> problems)
        : base($"Dataset '{dataset}' does not match its table: {string.Join("; ", problems)}.")
    {
        Dataset = dataset;
        Problems = problems;
    }

    /// <summary>The dataset.</summary>
    public string Dataset { get; }

    /// <summary>What does not fit.</summary>
    public IReadOnlyList<string> Problems { get; }
}
