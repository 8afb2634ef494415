namespace BulkDurable.Ingestion.Catalog;

/// <summary>What happens to a record whose conflict key already exists in the target table.</summary>
public enum ConflictAction
{
    /// <summary>Keep the existing row; the record counts as <c>unchanged</c>.</summary>
    Ignore,

    /// <summary>
    /// Overwrite the existing row with the record's values; the record counts as <c>updated</c>.
    /// A row whose values are already equal is not rewritten (no dead tuple, no WAL), but the
    /// record still counts as updated: the row holds its values. Within one chunk, the last record
    /// with a key wins, as if the records were applied in order.
    /// </summary>
    Update,

    /// <summary>Keep the existing row and report the record as rejected (duplicate key).</summary>
    Reject,
}
