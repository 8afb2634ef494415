namespace BulkDurable.Ingestion.Jobs;

/// <summary>
/// What loading one chunk did, as recorded in the ledger in the same transaction as the rows.
/// inserted + updated + unchanged + rejected = records.
/// </summary>
/// <param name="JobId">The job.</param>
/// <param name="ChunkIndex">The chunk.</param>
/// <param name="Records">Records in the chunk.</param>
/// <param name="Inserted">Records that created a row.</param>
/// <param name="Updated">Records whose key existed and whose values the row now holds (conflict action Update).</param>
/// <param name="Unchanged">Records whose key existed and that were ignored (conflict action Ignore), duplicates within a chunk included.</param>
/// <param name="Rejected">Records refused by validation or by the database.</param>
/// <param name="StartedAt">When the chunk's transaction started.</param>
/// <param name="CompletedAt">When it committed.</param>
/// <param name="Replayed">True when this delivery found the chunk already in the ledger and wrote nothing.</param>
public sealed record ChunkOutcome(
    string JobId,
    int ChunkIndex,
    int Records,
    long Inserted,
    long Updated,
    long Unchanged,
    long Rejected,
    DateTimeOffset StartedAt,
    DateTimeOffset CompletedAt,
    bool Replayed = false);

/// <summary>A chunk that could not be loaded, and why. Its records are neither loaded nor rejected until a redrive.</summary>
/// <param name="ChunkIndex">The chunk.</param>
/// <param name="Records">Records in the chunk.</param>
/// <param name="Error">The last error.</param>
public sealed record FailedChunk(int ChunkIndex, int Records, string Error);
