using System.Text;
using System.Text.Json.Nodes;
using BulkDurable.Ingestion.Catalog;
using Npgsql;

namespace BulkDurable.Testing;

/// <summary>
/// The oracle of a load: a table shaped like the dataset's target (<c>LIKE … INCLUDING ALL</c>,
/// so the same keys and checks), filled from the records the test expects to load through
/// PostgreSQL's own parsing (<c>jsonb_populate_record</c>, <c>COPY … (FORMAT csv)</c>) with the
/// dataset's conflict semantics. Nothing of the engine's parsing, chunking or merging is used, so
/// comparing it with the target proves the engine's result rather than repeating it.
/// </summary>
public sealed class ReferenceTable : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;

    private ReferenceTable(NpgsqlDataSource dataSource, Dataset dataset, string table)
    {
        _dataSource = dataSource;
        Dataset = dataset;
        Table = table;
    }

    /// <summary>The dataset this table models.</summary>
    public Dataset Dataset { get; }

    /// <summary>The reference table, qualified and quoted.</summary>
    public string Table { get; }

    /// <summary>Creates an empty reference table for a dataset of the host's catalog, in the host's database.</summary>
    public static async Task<ReferenceTable> CreateAsync(IngestionTestHost host, string datasetName)
    {
        ArgumentNullException.ThrowIfNull(host);
        var dataset = host.Catalog.Get(datasetName);
        var connectionString = host.Configuration["BulkDurable:Postgres:ConnectionString"]
            ?? throw new InvalidOperationException("The host has no PostgreSQL connection string.");
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.ConnectionStringBuilder.Options = "-c TimeZone=UTC";
        builder.ConnectionStringBuilder.MaxPoolSize = 2;
        var dataSource = builder.Build();
        var table = $"{ServersFixture.TestSchema}.ref_{Guid.NewGuid():N}";
        await using (var command = dataSource.CreateCommand($"CREATE TABLE {table} (LIKE {dataset.QualifiedTable} INCLUDING ALL)"))
        {
            await command.ExecuteNonQueryAsync();
        }

        return new ReferenceTable(dataSource, dataset, table);
    }

    /// <summary>
    /// Applies records (JSON objects with the dataset's field names), in order, as one load with
    /// the dataset's conflict action: within the load the first record of a key wins with
    /// <c>Ignore</c>/<c>Reject</c>, the last one with <c>Update</c>.
    /// </summary>
    public async Task ApplyJsonAsync(IEnumerable<string> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var array = new JsonArray();
        foreach (var record in records)
        {
            var source = JsonNode.Parse(record)?.AsObject() ?? throw new ArgumentException("Reference records must be JSON objects.", nameof(records));
            var renamed = new JsonObject();
            foreach (var (field, value) in source)
            {
                renamed[Dataset.TryGetColumnByField(field, out var column) ? column.Name : field] = value?.DeepClone();
            }

            array.Add(renamed);
        }

        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await ExecuteAsync(connection, $"CREATE TEMP TABLE reference_source ON COMMIT DROP AS SELECT r.*, e.ordinal FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS e(doc, ordinal), jsonb_populate_record(NULL::{Table}, e.doc) AS r", array.ToJsonString());
        await MergeAsync(connection);
        await transaction.CommitAsync();
    }

    /// <summary>Applies NDJSON lines (blank ones skipped) as one load, see <see cref="ApplyJsonAsync"/>.</summary>
    public Task ApplyNdjsonAsync(string ndjson) =>
        ApplyJsonAsync(ndjson.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => !string.IsNullOrWhiteSpace(l)));

    /// <summary>
    /// Applies a CSV text (a header row of dataset field names, then records) as one load, parsed by
    /// PostgreSQL's <c>COPY … (FORMAT csv)</c>: an unquoted empty field is null, a quoted one the empty string.
    /// </summary>
    public async Task ApplyCsvAsync(string csv)
    {
        ArgumentNullException.ThrowIfNull(csv);
        var headerEnd = csv.IndexOf('\n', StringComparison.Ordinal);
        var header = (headerEnd < 0 ? csv : csv[..headerEnd]).TrimStart('\uFEFF').TrimEnd('\r');
        var columns = header.Split(',').Select(f => Dataset.TryGetColumnByField(f.Trim().Trim('"'), out var column)
            ? column.QuotedName
            : throw new ArgumentException($"The reference CSV header names '{f}', which is not a field of {Dataset.Name}.", nameof(csv)));

        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await ExecuteAsync(connection, $"CREATE TEMP TABLE reference_source (LIKE {Table}, ordinal bigserial) ON COMMIT DROP");
        await using (var writer = await connection.BeginTextImportAsync($"COPY reference_source ({string.Join(", ", columns)}) FROM STDIN (FORMAT csv, HEADER true)"))
        {
            await writer.WriteAsync(csv.TrimStart('\uFEFF'));
        }

        await MergeAsync(connection);
        await transaction.CommitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await using var command = _dataSource.CreateCommand($"DROP TABLE IF EXISTS {Table}");
            await command.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException)
        {
            // The server may be gone already (a test's own cluster, stopped); the table goes with it.
        }
        finally
        {
            await _dataSource.DisposeAsync();
        }
    }

    private async Task MergeAsync(NpgsqlConnection connection)
    {
        var columns = string.Join(", ", Dataset.Columns.Select(c => c.QuotedName));
        var keys = string.Join(", ", Dataset.ConflictKey.Select(c => c.QuotedName));
        var sql = new StringBuilder();
        if (Dataset.ConflictKey.Count == 0)
        {
            sql.Append($"INSERT INTO {Table} ({columns}) SELECT {columns} FROM reference_source ORDER BY ordinal");
        }
        else
        {
            var update = Dataset.OnConflict == ConflictAction.Update;
            sql.Append($"INSERT INTO {Table} ({columns}) SELECT {columns} FROM (SELECT DISTINCT ON ({keys}) * FROM reference_source ORDER BY {keys}, ordinal {(update ? "DESC" : "ASC")}) AS picked ");
            sql.Append(update
                ? $"ON CONFLICT ({keys}) DO UPDATE SET {string.Join(", ", Dataset.Columns.Where(c => !Dataset.ConflictKey.Contains(c)).Select(c => $"{c.QuotedName} = EXCLUDED.{c.QuotedName}"))}"
                : $"ON CONFLICT ({keys}) DO NOTHING");
        }

        await ExecuteAsync(connection, sql.ToString());
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, params object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        await command.ExecuteNonQueryAsync();
    }
}
