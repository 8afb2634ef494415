namespace BulkDurable.Ingestion.Loading;

/// <summary>The chunk ledger's SQL (table created by migration 0001).</summary>
internal static class LedgerStatements
{
    /// <summary>
    /// Claims a chunk inside the loading transaction. When another transaction holds the claim this
    /// waits for it; a returned row means the chunk is ours, no row means it was already loaded.
    /// </summary>
    public const string Claim =
        "INSERT INTO bulkdurable.chunk_ledger (job_id, chunk_index, plan_id, dataset, records) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (job_id, chunk_index) DO NOTHING RETURNING started_at";

    /// <summary>Records the outcome in the claimed row, in the same transaction as the data.</summary>
    public const string Complete =
        "UPDATE bulkdurable.chunk_ledger SET inserted = $3, updated = $4, unchanged = $5, rejected = $6, completed_at = clock_timestamp() WHERE job_id = $1 AND chunk_index = $2 RETURNING completed_at";

    /// <summary>The columns of a completed chunk, in the order <c>ChunkLedger.ReadOutcome</c> reads them.</summary>
    private const string OutcomeColumns =
        "chunk_index, records, inserted, updated, unchanged, rejected, started_at, completed_at, plan_id";

    public const string Outcome =
        "SELECT " + OutcomeColumns + " FROM bulkdurable.chunk_ledger WHERE job_id = $1 AND chunk_index = $2 AND completed_at IS NOT NULL";

    public const string JobOutcomes =
        "SELECT " + OutcomeColumns + " FROM bulkdurable.chunk_ledger WHERE job_id = $1 AND plan_id = $2 AND completed_at IS NOT NULL ORDER BY chunk_index";

    public const string LoadedChunkIndexes =
        "SELECT chunk_index FROM bulkdurable.chunk_ledger WHERE job_id = $1 AND plan_id = $2 AND chunk_index >= $3 AND chunk_index < $4 AND completed_at IS NOT NULL";

    /// <summary>The plans the job id's chunks were loaded under.</summary>
    public const string PlanIds =
        "SELECT DISTINCT coalesce(plan_id, '') FROM bulkdurable.chunk_ledger WHERE job_id = $1";
}
