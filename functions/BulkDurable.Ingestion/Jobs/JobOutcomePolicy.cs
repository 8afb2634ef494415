using System.Globalization;
using BulkDurable.Ingestion.Configuration;

namespace BulkDurable.Ingestion.Jobs;

/// <summary>
/// Decides a finished job's state from its totals and the tolerated-failure thresholds
/// (<see cref="IngestionOptions.ToleratedFailedChunkRatio"/>, <see cref="IngestionOptions.ToleratedRejectedRecordRatio"/>,
/// <see cref="IngestionOptions.MaxRejectedRecords"/>).
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
        if (cancelled)
        {
            return JobState.Cancelled;
        }

        if (ThresholdBreached(chunkCount, chunksNotLoaded, submitted, rejected, options) is not null)
        {
            return JobState.Failed;
        }

        return chunksNotLoaded > 0 || rejected > 0 || hasPayloadProblems ? JobState.CompletedWithErrors : JobState.Completed;
    }

    /// <summary>
    /// Which threshold the totals break, as a sentence for the job's error, or <see langword="null"/>
    /// when they break none.
    /// </summary>
    /// <param name="chunkCount">Chunks in the plan.</param>
    /// <param name="chunksNotLoaded">Chunks that failed permanently or were never run.</param>
    /// <param name="submitted">Records in the payload.</param>
    /// <param name="rejected">Records rejected (planning and loading).</param>
    /// <param name="options">The thresholds.</param>
    public static string? ThresholdBreached(int chunkCount, int chunksNotLoaded, long submitted, long rejected, IngestionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(chunksNotLoaded);
        ArgumentOutOfRangeException.ThrowIfNegative(rejected);
        if (rejected > options.MaxRejectedRecords)
        {
            return string.Create(CultureInfo.InvariantCulture, $"more than {options.MaxRejectedRecords} records were rejected (BulkDurable:Ingestion:MaxRejectedRecords)");
        }

        if (submitted > 0 && (double)rejected / submitted > options.ToleratedRejectedRecordRatio)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{rejected} of {submitted} records were rejected, more than the tolerated share {options.ToleratedRejectedRecordRatio} (BulkDurable:Ingestion:ToleratedRejectedRecordRatio)");
        }

        if (chunkCount > 0 && (double)chunksNotLoaded / chunkCount > options.ToleratedFailedChunkRatio)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{chunksNotLoaded} of {chunkCount} chunks were not loaded, more than the tolerated share {options.ToleratedFailedChunkRatio} (BulkDurable:Ingestion:ToleratedFailedChunkRatio)");
        }

        return null;
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
        ThresholdBreached(chunkCount, failedChunks, submitted, rejected, options) is not null;
}
