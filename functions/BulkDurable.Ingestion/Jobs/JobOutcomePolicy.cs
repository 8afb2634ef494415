using BulkDurable.Ingestion.Configuration;

namespace BulkDurable.Ingestion.Jobs;

/// <summary>
/// Decides a finished job's state from its totals and the tolerated-failure thresholds
/// (<see cref="IngestionOptions.ToleratedFailedChunkRatio"/>, <see cref="IngestionOptions.ToleratedRejectedRecordRatio"/>).
/// </summary>
public static class JobOutcomePolicy
{
    /// <summary>The final state.</summary>
    /// <param name="chunkCount">Chunks in the plan.</param>
    /// <param name="chunksNotLoaded">Chunks that failed permanently or were never run.</param>
    /// <param name="submitted">Records in the payload.</param>
    /// <param name="rejected">Records rejected (planning and loading).</param>
    /// <param name="hasPayloadProblems">Whether planning found non-fatal payload problems.</param>
    /// <param name="cancelled">Whether the job was cancelled.</param>
    /// <param name="options">The thresholds.</param>
    public static JobState Decide(int chunkCount, int chunksNotLoaded, long submitted, long rejected, bool hasPayloadProblems, bool cancelled, IngestionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(chunksNotLoaded);
        if (cancelled)
        {
            return JobState.Cancelled;
        }

        var failedChunkRatio = chunkCount == 0 ? 0 : (double)chunksNotLoaded / chunkCount;
        var rejectedRatio = submitted == 0 ? 0 : (double)rejected / submitted;
        if (failedChunkRatio > options.ToleratedFailedChunkRatio || rejectedRatio > options.ToleratedRejectedRecordRatio)
        {
            return JobState.Failed;
        }

        return chunksNotLoaded > 0 || rejected > 0 || hasPayloadProblems ? JobState.CompletedWithErrors : JobState.Completed;
    }

    /// <summary>
    /// Whether the failures so far already make the job <see cref="JobState.Failed"/>: failed chunks
    /// and rejected records only grow while a job runs, so nothing loaded later can save it. Drivers
    /// stop scheduling chunks then (chunks in flight finish), and finalize; a redrive resumes.
    /// </summary>
    /// <param name="chunkCount">Chunks in the plan.</param>
    /// <param name="submitted">Records in the payload.</param>
    /// <param name="failedChunks">Chunks failed so far.</param>
    /// <param name="rejected">Records rejected so far (planning included).</param>
    /// <param name="options">The thresholds.</param>
    public static bool IsFailureCertain(int chunkCount, long submitted, int failedChunks, long rejected, IngestionOptions options) =>
        Decide(chunkCount, failedChunks, submitted, rejected, hasPayloadProblems: false, cancelled: false, options) == JobState.Failed;
}
