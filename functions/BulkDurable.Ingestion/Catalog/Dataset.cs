using System.Collections.Frozen;

namespace BulkDurable.Ingestion.Catalog;

/// <summary>
/// A validated, immutable dataset: where its records go and how they are checked and merged.
/// Built only by <see cref="DatasetCatalog.Create"/>.
/// </summary>
public sealed class Dataset
{
    /// <summary>Default <see cref="MaxRecordBytes"/>: 1 MiB.</summary>
    public const int DefaultMaxRecordBytes = 1 << 20;

    /// <summary>Smallest configurable <see cref="MaxRecordBytes"/>.</summary>
    public const int MinMaxRecordBytes = 64;

    /// <summary>Largest configurable <see cref="MaxRecordBytes"/>: 16 MiB.</summary>
    public const int MaxMaxRecordBytes = 16 << 20;

    private readonly FrozenDictionary<string, Column> _columnsByField;

    internal Dataset(
        string name,
        string schema,
        string table,
        IReadOnlyList<Column> columns,
        IReadOnlyList<Column> conflictKey,
        ConflictAction onConflict,
        int maxRecordBytes,
        bool ignoreUnknownFields)
    {
        Name = name;
        Schema = schema;
        Table = table;
        Columns = columns;
        ConflictKey = conflictKey;
        OnConflict = onConflict;
        MaxRecordBytes = maxRecordBytes;
        IgnoreUnknownFields = ignoreUnknownFields;
        QualifiedTable = SqlIdentifier.Quote(schema) + "." + SqlIdentifier.Quote(table);
        _columnsByField = columns.ToFrozenDictionary(c => c.Field, StringComparer.Ordinal);
    }

    /// <summary>The dataset name clients use in URLs and commands.</summary>
    public string Name { get; }

    /// <summary>The target table's schema.</summary>
    public string Schema { get; }

    /// <summary>The target table's name.</summary>
    public string Table { get; }

    /// <summary>The target table, quoted: <c>"schema"."table"</c>.</summary>
    public string QualifiedTable { get; }

    /// <summary>The columns records provide, in COPY order.</summary>
    public IReadOnlyList<Column> Columns { get; }

    /// <summary>The conflict-key columns; empty when the dataset declares none.</summary>
    public IReadOnlyList<Column> ConflictKey { get; }

    /// <summary>What happens when a record's conflict key already exists.</summary>
    public ConflictAction OnConflict { get; }

    /// <summary>Largest accepted record in payload bytes.</summary>
    public int MaxRecordBytes { get; }

    /// <summary>Whether fields that match no column are skipped rather than rejected.</summary>
    public bool IgnoreUnknownFields { get; }

    /// <summary>Finds the column a record field maps to.</summary>
    public bool TryGetColumnByField(string field, out Column column) => _columnsByField.TryGetValue(field, out column!);

    /// <inheritdoc />
    public override string ToString() => $"{Name} → {Schema}.{Table}";
}
