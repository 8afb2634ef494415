using System.Text;

namespace BulkDurable.Ingestion.Catalog;

/// <summary>A validated column of a <see cref="Dataset"/>.</summary>
/// <param name="Ordinal">Position in the dataset's column list (and in COPY rows).</param>
/// <param name="Name">The column name in the target table.</param>
/// <param name="Field">The field name in records.</param>
/// <param name="Type">The column type.</param>
/// <param name="Nullable">Whether the column accepts null (and records may omit the field).</param>
public sealed record Column(int Ordinal, string Name, string Field, ColumnType Type, bool Nullable)
{
    /// <summary>The field name as UTF-8, for allocation-free matching while parsing.</summary>
    internal byte[] FieldUtf8 { get; } = Encoding.UTF8.GetBytes(Field);

    /// <summary>The column name, quoted for SQL.</summary>
    public string QuotedName { get; } = SqlIdentifier.Quote(Name);
}
