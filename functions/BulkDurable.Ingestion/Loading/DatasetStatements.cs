using BulkDurable.Ingestion.Catalog;

namespace BulkDurable.Ingestion.Loading;

/// <summary>
/// The SQL a dataset is loaded with, built once from its validated, quoted identifiers. Merge
/// statements take an ordinal range (<c>$1 &lt;= ordinal &lt; $2</c>) of the staging table so that the
/// rows the database refuses can be isolated by bisection, and they process rows in conflict-key
/// order so that concurrent jobs lock keys in the same order and do not deadlock.
/// </summary>
internal sealed class DatasetStatements
{
    public DatasetStatements(Dataset dataset)
    {
        // One staging table per dataset shape and connection, kept across transactions (emptied at
        // each commit) instead of being created and dropped for every chunk: catalog churn is
        // server CPU. The name changes with the dataset's columns, so a changed catalog never
        // meets an old table.
        var shape = string.Join(",", dataset.Columns.Select(c => $"{c.Name}:{c.Type}"));
        var stage = "bulkdurable_stage_" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(dataset.Name + "|" + shape)).AsSpan(0, 8));
        var stagingTable = "pg_temp." + stage;
        var columns = string.Join(", ", dataset.Columns.Select(c => c.QuotedName));
        var keys = string.Join(", ", dataset.ConflictKey.Select(c => c.QuotedName));
        const string range = "ordinal >= $1 AND ordinal < $2";

        CopyIntoTarget = $"COPY {dataset.QualifiedTable} ({columns}) FROM STDIN (FORMAT BINARY)";

        // Staging columns carry the base types without the target's typmods or constraints, so
        // that COPY into staging accepts every validated row and the database's own checks happen
        // in the merge, where refused rows can be isolated.
        CreateStaging = $"CREATE TEMP TABLE IF NOT EXISTS {stage} (ordinal integer NOT NULL, {string.Join(", ", dataset.Columns.Select(c => $"{c.QuotedName} {c.Type.ToSqlType()}"))}) ON COMMIT DELETE ROWS";
        IndexStaging = $"CREATE INDEX IF NOT EXISTS {stage}_ordinal ON {stagingTable} (ordinal)";
        DropStagingIndex = $"DROP INDEX IF EXISTS pg_temp.{stage}_ordinal";
        CopyIntoStaging = $"COPY {stagingTable} (ordinal, {columns}) FROM STDIN (FORMAT BINARY)";

        // Ordinal last: of records repeating a key in one chunk, the first one is inserted, always.
        var order = dataset.ConflictKey.Count > 0 ? keys + ", ordinal" : "ordinal";
        // Keys that already exist (and, for Update, rows already holding the same values) are
        // filtered out first with an index-only anti-join: far cheaper than letting ON CONFLICT find
        // each one (a heap fetch per row), and re-delivered or resubmitted data is all such rows.
        // ON CONFLICT stays for rows a concurrent transaction inserts meanwhile.
        var keyMatch = string.Join(" AND ", dataset.ConflictKey.Select(c => $"t.{c.QuotedName} = s.{c.QuotedName}"));
        var nonKey = NonKey(dataset).ToList();
        Merge = dataset.OnConflict switch
        {
            ConflictAction.Ignore when dataset.ConflictKey.Count == 0 =>
                $"""
                WITH ins AS (
                    INSERT INTO {dataset.QualifiedTable} ({columns})
                    SELECT {columns} FROM {stagingTable} WHERE {range} ORDER BY {order}
                    ON CONFLICT DO NOTHING
                    RETURNING 1)
                SELECT count(*) FROM ins
                """,
            ConflictAction.Ignore =>
                $"""
                WITH ins AS (
                    INSERT INTO {dataset.QualifiedTable} ({columns})
                    SELECT {columns} FROM {stagingTable} s
                    WHERE {range} AND NOT EXISTS (SELECT 1 FROM {dataset.QualifiedTable} t WHERE {keyMatch})
                    ORDER BY {order}
                    ON CONFLICT ({keys}) DO NOTHING
                    RETURNING 1)
                SELECT count(*) FROM ins
                """,
            ConflictAction.Update =>
                $"""
                WITH src AS (
                    SELECT DISTINCT ON ({keys}) {columns} FROM {stagingTable} WHERE {range} ORDER BY {keys}, ordinal DESC),
                ins AS (
                    INSERT INTO {dataset.QualifiedTable} AS target ({columns})
                    SELECT {columns} FROM src s
                    WHERE NOT EXISTS (
                        SELECT 1 FROM {dataset.QualifiedTable} t
                        WHERE {keyMatch} AND ({string.Join(", ", nonKey.Select(c => "t." + c.QuotedName))}) IS NOT DISTINCT FROM ({string.Join(", ", nonKey.Select(c => "s." + c.QuotedName))}))
                    ORDER BY {keys}
                    ON CONFLICT ({keys}) DO UPDATE SET {string.Join(", ", nonKey.Select(c => $"{c.QuotedName} = EXCLUDED.{c.QuotedName}"))}
                    WHERE ({string.Join(", ", nonKey.Select(c => "target." + c.QuotedName))}) IS DISTINCT FROM ({string.Join(", ", nonKey.Select(c => "EXCLUDED." + c.QuotedName))})
                    RETURNING (xmax = 0) AS inserted)
                SELECT count(*) FILTER (WHERE inserted) FROM ins
                """,
            ConflictAction.Reject =>
                // Returns the refused rows: a key that already existed, or that an earlier record
                // of the chunk took (kept_ordinal tells which).
                $"""
                WITH src AS (
                    SELECT DISTINCT ON ({keys}) ordinal, {columns} FROM {stagingTable} WHERE {range} ORDER BY {keys}, ordinal),
                ins AS (
                    INSERT INTO {dataset.QualifiedTable} ({columns})
                    SELECT {columns} FROM src ORDER BY {keys}
                    ON CONFLICT ({keys}) DO NOTHING
                    RETURNING {keys})
                SELECT s.ordinal, src.ordinal AS kept_ordinal, ins.{dataset.ConflictKey[0].QuotedName} IS NOT NULL AS key_inserted
                FROM {stagingTable} s
                JOIN src ON ({string.Join(", ", dataset.ConflictKey.Select(c => "s." + c.QuotedName))}) = ({string.Join(", ", dataset.ConflictKey.Select(c => "src." + c.QuotedName))})
                LEFT JOIN ins ON ({string.Join(", ", dataset.ConflictKey.Select(c => "s." + c.QuotedName))}) = ({string.Join(", ", dataset.ConflictKey.Select(c => "ins." + c.QuotedName))})
                WHERE s.ordinal >= $1 AND s.ordinal < $2 AND NOT (ins.{dataset.ConflictKey[0].QuotedName} IS NOT NULL AND s.ordinal = src.ordinal)
                """,
            _ => throw new ArgumentOutOfRangeException(nameof(dataset), dataset.OnConflict, null),
        };
        MergeReturnsRejectedRows = dataset.OnConflict == ConflictAction.Reject;
    }

    public string CopyIntoTarget { get; }

    public string CreateStaging { get; }

    public string IndexStaging { get; }

    public string DropStagingIndex { get; }

    public string CopyIntoStaging { get; }

    /// <summary>
    /// Merges an ordinal range of the staging table into the target. Ignore/Update: one row, the
    /// number of records that created a row (every other record of the range matched an existing
    /// key). Reject: one row per refused record (ordinal, kept_ordinal, key_inserted).
    /// </summary>
    public string Merge { get; }

    public bool MergeReturnsRejectedRows { get; }

    private static IEnumerable<Column> NonKey(Dataset dataset) => dataset.Columns.Where(c => !dataset.ConflictKey.Contains(c));
}
