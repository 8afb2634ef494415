using BulkDurable.Ingestion.Catalog;

namespace BulkDurable.Ingestion.Tests;

/// <summary>Datasets for tests that need no table.</summary>
internal static class Datasets
{
    /// <summary>A dataset with one column of every type; only <c>id</c> is required.</summary>
    public static Dataset AllTypes(bool ignoreUnknownFields = false, int maxRecordBytes = Dataset.DefaultMaxRecordBytes)
    {
        var options = new DatasetOptions
        {
            Table = "public.all_types",
            Columns =
            [
                new ColumnOptions { Name = "id", Type = ColumnType.Bigint, Nullable = false },
                new ColumnOptions { Name = "name", Type = ColumnType.Text },
                new ColumnOptions { Name = "count", Type = ColumnType.Int },
                new ColumnOptions { Name = "amount", Type = ColumnType.Numeric },
                new ColumnOptions { Name = "ratio", Type = ColumnType.Double },
                new ColumnOptions { Name = "active", Type = ColumnType.Bool },
                new ColumnOptions { Name = "at", Type = ColumnType.Timestamptz },
                new ColumnOptions { Name = "day", Type = ColumnType.Date },
                new ColumnOptions { Name = "uid", Type = ColumnType.Uuid },
                new ColumnOptions { Name = "doc", Type = ColumnType.Jsonb },
                new ColumnOptions { Name = "display_name", Field = "displayName", Type = ColumnType.Text },
            ],
            ConflictKey = ["id"],
            OnConflict = ConflictAction.Update,
            IgnoreUnknownFields = ignoreUnknownFields,
            MaxRecordBytes = maxRecordBytes,
        };
        return DatasetCatalog.Create(new DatasetCatalogOptions { Datasets = { ["all_types"] = options } }).Get("all_types");
    }
}
