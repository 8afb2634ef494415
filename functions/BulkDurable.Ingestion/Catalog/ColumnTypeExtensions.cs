using NpgsqlTypes;

namespace BulkDurable.Ingestion.Catalog;

/// <summary>How each <see cref="ColumnType"/> is named and sent to PostgreSQL.</summary>
public static class ColumnTypeExtensions
{
    /// <summary>The PostgreSQL type name, as used in DDL and casts.</summary>
    public static string ToSqlType(this ColumnType type) => type switch
    {
        ColumnType.Text => "text",
        ColumnType.Int => "integer",
        ColumnType.Bigint => "bigint",
        ColumnType.Numeric => "numeric",
        ColumnType.Double => "double precision",
        ColumnType.Bool => "boolean",
        ColumnType.Timestamptz => "timestamp with time zone",
        ColumnType.Date => "date",
        ColumnType.Uuid => "uuid",
        ColumnType.Jsonb => "jsonb",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>The Npgsql type used for binary COPY.</summary>
    public static NpgsqlDbType ToNpgsqlDbType(this ColumnType type) => type switch
    {
        ColumnType.Text => NpgsqlDbType.Text,
        ColumnType.Int => NpgsqlDbType.Integer,
        ColumnType.Bigint => NpgsqlDbType.Bigint,
        ColumnType.Numeric => NpgsqlDbType.Numeric,
        ColumnType.Double => NpgsqlDbType.Double,
        ColumnType.Bool => NpgsqlDbType.Boolean,
        ColumnType.Timestamptz => NpgsqlDbType.TimestampTz,
        ColumnType.Date => NpgsqlDbType.Date,
        ColumnType.Uuid => NpgsqlDbType.Uuid,
        ColumnType.Jsonb => NpgsqlDbType.Jsonb,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>
    /// The <c>information_schema.columns.data_type</c> values a target column may have for this
    /// type; used to check the catalog against the database.
    /// </summary>
    internal static IReadOnlyList<string> CompatibleDataTypes(this ColumnType type) => type switch
    {
        ColumnType.Text => ["text", "character varying", "character"],
        ColumnType.Int => ["integer"],
        ColumnType.Bigint => ["bigint"],
        ColumnType.Numeric => ["numeric"],
        ColumnType.Double => ["double precision"],
        ColumnType.Bool => ["boolean"],
        ColumnType.Timestamptz => ["timestamp with time zone"],
        ColumnType.Date => ["date"],
        ColumnType.Uuid => ["uuid"],
        ColumnType.Jsonb => ["jsonb"],
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };
}
