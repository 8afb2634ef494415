using Microsoft.Extensions.Logging;

namespace BulkDurable.Functions.Diagnostics;

/// <summary>The app's log messages: structured, allocation-free, carrying the job id.</summary>
internal static partial class Log
{
    [LoggerMessage(100, LogLevel.Information, "Job {JobId}: accepted into dataset {Dataset} ({PayloadBytes} bytes, idempotency key: {HasKey})")]
    public static partial void JobAccepted(ILogger logger, string jobId, string dataset, long payloadBytes, bool hasKey);

    [LoggerMessage(101, LogLevel.Information, "Job {JobId}: submission replayed for dataset {Dataset}")]
    public static partial void JobReplayed(ILogger logger, string jobId, string dataset);

    [LoggerMessage(102, LogLevel.Error, "Submission to dataset {Dataset} failed")]
    public static partial void SubmissionFailed(ILogger logger, Exception exception, string dataset);

    [LoggerMessage(107, LogLevel.Information, "Submission to dataset {Dataset} by {Caller} refused: {Reason}")]
    public static partial void SubmissionRefused(ILogger logger, string dataset, string caller, string reason);

    [LoggerMessage(103, LogLevel.Error, "{Function} for job {JobId} failed")]
    public static partial void RequestFailed(ILogger logger, Exception exception, string function, string jobId);

    [LoggerMessage(104, LogLevel.Information, "Job {JobId}: {Command} accepted")]
    public static partial void CommandAccepted(ILogger logger, string jobId, string command);

    [LoggerMessage(105, LogLevel.Information, "Upload {UploadId}: URL issued, valid until {ExpiresAt}")]
    public static partial void UploadIssued(ILogger logger, string uploadId, DateTimeOffset expiresAt);

    [LoggerMessage(106, LogLevel.Warning, "Job {JobId}: the Durable management URLs are unavailable")]
    public static partial void ManagementLinksUnavailable(ILogger logger, Exception exception, string jobId);

    [LoggerMessage(110, LogLevel.Information, "Job {JobId}: planned {ChunkCount} chunks in {SegmentCount} segments (run {Run})")]
    public static partial void Planned(ILogger logger, string jobId, int chunkCount, int segmentCount, int run);

    [LoggerMessage(111, LogLevel.Warning, "Job {JobId}: payload rejected: {Reason}")]
    public static partial void PlanRejected(ILogger logger, string jobId, string reason);

    [LoggerMessage(112, LogLevel.Warning, "Job {JobId}: its Idempotency-Key belongs to job {HolderJobId}; nothing is loaded")]
    public static partial void KeyHeldByAnotherJob(ILogger logger, string jobId, string holderJobId);

    [LoggerMessage(113, LogLevel.Warning, "Job {JobId}: failure threshold exceeded ({FailedChunks} chunks failed, {RejectedRecords} records rejected); no more chunks are scheduled")]
    public static partial void ThresholdExceeded(ILogger logger, string jobId, int failedChunks, long rejectedRecords);

    [LoggerMessage(114, LogLevel.Error, "Job {JobId}: segment {Segment} failed: {Error}. Failure: {Failure}")]
    public static partial void SegmentFailed(ILogger logger, string jobId, int segment, string error, string failure);

    [LoggerMessage(115, LogLevel.Information, "Job {JobId}: finished as {State} ({ChunksLoaded} of {ChunkCount} chunks loaded)")]
    public static partial void Finished(ILogger logger, string jobId, string state, int chunksLoaded, int chunkCount);

    [LoggerMessage(116, LogLevel.Information, "Job {JobId}: segment {Segment} done: {Loaded} chunks loaded, {Failed} failed, stopped early: {Stopped}")]
    public static partial void SegmentDone(ILogger logger, string jobId, int segment, int loaded, int failed, bool stopped);

    [LoggerMessage(117, LogLevel.Error, "Job {JobId} chunk {ChunkIndex}: failed permanently ({ErrorType}): {Error}")]
    public static partial void ChunkFailed(ILogger logger, string jobId, int chunkIndex, string errorType, string error);

    [LoggerMessage(118, LogLevel.Error, "Job {JobId}: the run failed ({Reason}); finalizing it. Failure: {Failure}")]
    public static partial void RunFailed(ILogger logger, string jobId, string reason, string failure);

    [LoggerMessage(119, LogLevel.Warning, "Job {JobId} chunk {ChunkIndex}: not loaded, run {Run} is no longer the job's live run (terminated or redriven)")]
    public static partial void RunEnded(ILogger logger, string jobId, int chunkIndex, int run);

    [LoggerMessage(120, LogLevel.Warning, "{Step}: transient failure, to be retried")]
    public static partial void StepRetryable(ILogger logger, Exception exception, string step);

    [LoggerMessage(121, LogLevel.Error, "Job {JobId} chunk {ChunkIndex}: failed permanently: {Report}")]
    public static partial void ChunkLoadFailed(ILogger logger, Exception exception, string jobId, int chunkIndex, string report);

    [LoggerMessage(122, LogLevel.Warning, "Job {JobId}: {Command} of its segment {Segment} failed; the job's own {Command} went through")]
    public static partial void SegmentCommandFailed(ILogger logger, Exception exception, string jobId, string command, string segment);

    [LoggerMessage(123, LogLevel.Information, "Job {JobId}: {Command} raced the job's own progress and was refused: {Reason}")]
    public static partial void CommandRaced(ILogger logger, Exception exception, string jobId, string command, string reason);

    [LoggerMessage(124, LogLevel.Information, "History purge before {Cutoff:o}: {InstancesPurged} finished orchestrations purged, {EntitiesDeleted} entities deleted, {EmptyEntitiesRemoved} empty entities removed, {OrphanedLocksReleased} orphaned locks released")]
    public static partial void HistoryPurged(ILogger logger, DateTimeOffset cutoff, int instancesPurged, int entitiesDeleted, int emptyEntitiesRemoved, int orphanedLocksReleased);

    [LoggerMessage(125, LogLevel.Error, "{Orchestration} instance {InstanceId}: input rejected, {Reason}; the orchestration ends without doing anything")]
    public static partial void InputRejected(ILogger logger, string orchestration, string instanceId, string reason);
}
