using BulkDurable.Ingestion.Payloads.Scanning;

namespace BulkDurable.Ingestion.Jobs;

/// <summary>
/// A job's outcome (<c>result.json</c>), written by the finalize step. Totals come from the
/// ledger, so they are exact whatever was retried or redelivered:
/// submitted = inserted + updated + unchanged + rejected + notLoaded.
/// </summary>
/// <param name="JobId">The job.</param>
/// <param name="Dataset">The dataset.</param>
/// <param name="State">The final state.</param>
/// <param name="Submitted">Records in the payload.</param>
/// <param name="Inserted">Records that created a row.</param>
/// <param name="Updated">Records that changed a row.</param>
/// <param name="Unchanged">Records that matched an existing row and changed nothing.</param>
/// <param name="Rejected">Records refused, each listed in the failed-records file unless it was truncated.</param>
/// <param name="NotLoaded">Records of chunks that failed or were not run (cancelled); a redrive loads them.</param>
/// <param name="ChunkCount">Chunks in the plan.</param>
/// <param name="ChunksLoaded">Chunks in the ledger.</param>
/// <param name="FailedChunks">Chunks that failed permanently.</param>
/// <param name="Problems">Payload-level problems found while planning.</param>
/// <param name="Error">Why the job failed as a whole, if it did.</param>
/// <param name="HasFailedRecords">Whether the failed-records file exists.</param>
/// <param name="StartedAt">When the first chunk started loading.</param>
/// <param name="FinishedAt">When the job was finalized.</param>
/// <param name="FailedRecordsTruncated">Whether the failed-records file reached its limits and lists only the first rejected records.</param>
public sealed record JobResult(
    string JobId,
    string Dataset,
    JobState State,
    long Submitted,
    long Inserted,
    long Updated,
    long Unchanged,
    long Rejected,
    long NotLoaded,
    int ChunkCount,
    int ChunksLoaded,
    IReadOnlyList<FailedChunk> FailedChunks,
    IReadOnlyList<PayloadProblem> Problems,
    string? Error,
    bool HasFailedRecords,
    DateTimeOffset? StartedAt,
    DateTimeOffset FinishedAt,
    bool FailedRecordsTruncated = false);
