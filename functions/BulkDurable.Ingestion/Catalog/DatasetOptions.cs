namespace BulkDurable.Ingestion.Catalog;

/// <summary>
/// A dataset as declared in configuration (<c>BulkDurable:Datasets:&lt;name&gt;</c>). Validated and
/// turned into a <see cref="Dataset"/> by <see cref="DatasetCatalog.Create"/>.
/// </summary>
public sealed class DatasetOptions
{
    /// <summary>The target table, <c>schema.table</c> (lower-case identifiers).</summary>
    public string Table { get; set; } = "";

    /// <summary>The columns records provide, in COPY order.</summary>
    public List<ColumnOptions> Columns { get; set; } = [];

    /// <summary>Columns of the unique constraint that identifies a row (the conflict target).</summary>
    public List<string> ConflictKey { get; set; } = [];

    /// <summary>What to do when a record's conflict key already exists.</summary>
    public ConflictAction OnConflict { get; set; } = ConflictAction.Ignore;

    /// <summary>Largest accepted record, in bytes of payload text.</summary>
    public int MaxRecordBytes { get; set; } = Dataset.DefaultMaxRecordBytes;

    /// <summary>When <see langword="true"/>, record fields that match no column are skipped instead of rejected.</summary>
    public bool IgnoreUnknownFields { get; set; }
}

/// <summary>One column of a <see cref="DatasetOptions"/>.</summary>
public sealed class ColumnOptions
{
    /// <summary>The column name in the target table.</summary>
    public string Name { get; set; } = "";

    /// <summary>The field name in records (JSON property or CSV header); defaults to <see cref="Name"/>.</summary>
    public string? Field { get; set; }

    /// <summary>The column type.</summary>
    public ColumnType Type { get; set; } = ColumnType.Text;

    /// <summary>Whether records may omit the field or send <c>null</c>.</summary>
    public bool Nullable { get; set; } = true;
}

/// <summary>The <c>BulkDurable</c> configuration section's dataset catalog.</summary>
public sealed class DatasetCatalogOptions
{
    /// <summary>Datasets by name.</summary>
    public Dictionary<string, DatasetOptions> Datasets { get; set; } = new(StringComparer.Ordinal);
}
