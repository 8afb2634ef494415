using BulkDurable.Ingestion.Catalog;
using Npgsql;

namespace BulkDurable.Testing;

/// <summary>
/// A dataset backed by a table of its own (in <see cref="ServersFixture.TestSchema"/>, uniquely
/// named), so a test can assert exact contents whatever else runs at the same time.
/// </summary>
public sealed class TestDataset
{
    private TestDataset(string name, string table, DatasetOptions options)
    {
        Name = name;
        Table = table;
        Options = options;
    }

    /// <summary>The dataset name.</summary>
    public string Name { get; }

    /// <summary>The qualified, quoted table.</summary>
    public string Table { get; }

    public DatasetOptions Options { get; }

    /// <summary>
    /// A copy of <c>sensor_readings</c> with the given conflict action, plus an optional extra
    /// constraint (e.g. <c>CHECK (value &lt; 1000)</c>) on its own table. Without a conflict key
    /// (and primary key), a record loaded twice would be two rows.
    /// </summary>
    public static Task<TestDataset> SensorReadingsAsync(NpgsqlDataSource dataSource, ConflictAction onConflict = ConflictAction.Ignore, string? extraConstraint = null, bool withConflictKey = true) =>
        CreateAsync(
            dataSource,
            "sensor_id text NOT NULL, sampled_at timestamptz NOT NULL, value double precision, note text"
                + (withConflictKey ? ", PRIMARY KEY (sensor_id, sampled_at)" : "")
                + (extraConstraint is null ? "" : ", " + extraConstraint),
            SensorReadingsOptions(onConflict, withConflictKey));

    /// <summary>The catalog entry of <c>sensor_readings</c> (no table yet), as <c>datasets.json</c> declares it.</summary>
    public static DatasetOptions SensorReadingsOptions(ConflictAction onConflict = ConflictAction.Ignore, bool withConflictKey = true) => new()
    {
        Columns =
        [
            new ColumnOptions { Name = "sensor_id", Type = ColumnType.Text, Nullable = false },
            new ColumnOptions { Name = "sampled_at", Type = ColumnType.Timestamptz, Nullable = false },
            new ColumnOptions { Name = "value", Type = ColumnType.Double },
            new ColumnOptions { Name = "note", Type = ColumnType.Text },
        ],
        ConflictKey = withConflictKey ? ["sensor_id", "sampled_at"] : [],
        OnConflict = onConflict,
    };

    /// <summary>Creates a table from column DDL and a dataset over it (its Table is filled in).</summary>
    public static async Task<TestDataset> CreateAsync(NpgsqlDataSource dataSource, string columnsDdl, DatasetOptions options)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(options);
        var name = "t_" + Guid.NewGuid().ToString("N")[..16];
        options.Table = $"{ServersFixture.TestSchema}.{name}";
        await using var command = dataSource.CreateCommand($"CREATE TABLE {ServersFixture.TestSchema}.{name} ({columnsDdl})");
        await command.ExecuteNonQueryAsync();
        return new TestDataset(name, $"{ServersFixture.TestSchema}.{name}", options);
    }

    /// <summary>Configuration keys declaring this dataset.</summary>
    public IEnumerable<KeyValuePair<string, string?>> ConfigurationEntries()
    {
        var prefix = $"BulkDurable:Datasets:{Name}:";
        yield return new(prefix + "Table", Options.Table);
        yield return new(prefix + "OnConflict", Options.OnConflict.ToString());
        yield return new(prefix + "MaxRecordBytes", Options.MaxRecordBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        yield return new(prefix + "IgnoreUnknownFields", Options.IgnoreUnknownFields.ToString());
        for (var i = 0; i < Options.Columns.Count; i++)
        {
            var column = Options.Columns[i];
            yield return new($"{prefix}Columns:{i}:Name", column.Name);
            yield return new($"{prefix}Columns:{i}:Type", column.Type.ToString());
            yield return new($"{prefix}Columns:{i}:Nullable", column.Nullable.ToString());
            if (column.Field is not null)
            {
                yield return new($"{prefix}Columns:{i}:Field", column.Field);
            }
        }

        for (var i = 0; i < Options.ConflictKey.Count; i++)
        {
            yield return new($"{prefix}ConflictKey:{i}", Options.ConflictKey[i]);
        }
    }

    /// <summary>Rows in the table.</summary>
    public async Task<long> CountAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand($"SELECT count(*) FROM {Table}");
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
