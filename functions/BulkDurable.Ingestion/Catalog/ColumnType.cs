namespace BulkDurable.Ingestion.Catalog;

/// <summary>
/// The column types a dataset can declare. Each maps to one PostgreSQL type and one binary COPY
/// representation; see <see cref="ColumnTypeExtensions"/>.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The names are the catalog's configuration vocabulary (\"int\", \"double\").")]
public enum ColumnType
{
    /// <summary><c>text</c> (also accepted by <c>varchar(n)</c> target columns).</summary>
    Text,

    /// <summary><c>integer</c>.</summary>
    Int,

    /// <summary><c>bigint</c>.</summary>
    Bigint,

    /// <summary><c>numeric</c>, limited to the 28 significant digits of <see cref="decimal"/>.</summary>
    Numeric,

    /// <summary><c>double precision</c>.</summary>
    Double,

    /// <summary><c>boolean</c>.</summary>
    Bool,

    /// <summary><c>timestamp with time zone</c>; values without an offset are read as UTC.</summary>
    Timestamptz,

    /// <summary><c>date</c>.</summary>
    Date,

    /// <summary><c>uuid</c>.</summary>
    Uuid,

    /// <summary><c>jsonb</c>: any JSON value.</summary>
    Jsonb,
}
