using Microsoft.Extensions.Logging;

namespace BulkDurable.Ingestion.Diagnostics;

/// <summary>The engine's log messages: structured, allocation-free, and always carrying the job id.</summary>
internal static partial class Log
{
    private static readonly Func<ILogger, string, int, IDisposable?> ChunkScopeFormatter =
        LoggerMessage.DefineScope<string, int>("Job {JobId} chunk {ChunkIndex}");

    public static IDisposable? ChunkScope(ILogger logger, string jobId, int chunkIndex) => ChunkScopeFormatter(logger, jobId, chunkIndex);

    [LoggerMessage(1, LogLevel.Information, "Job {JobId}: planned {ChunkCount} chunks, {RecordCount} records ({PlanRejected} rejected while planning) from {SourceBytes} bytes in {ElapsedMs} ms")]
    public static partial void Planned(ILogger logger, string jobId, int chunkCount, long recordCount, long planRejected, long sourceBytes, long elapsedMs);

    [LoggerMessage(2, LogLevel.Information, "Job {JobId}: using the existing plan ({ChunkCount} chunks)")]
    public static partial void PlanReused(ILogger logger, string jobId, int chunkCount);

    [LoggerMessage(3, LogLevel.Warning, "Job {JobId}: payload rejected: {Reason}")]
    public static partial void PayloadRejected(ILogger logger, string jobId, string reason);

    [LoggerMessage(10, LogLevel.Debug, "Job {JobId} chunk {ChunkIndex}: loaded via {Path}: {Inserted} inserted, {Updated} updated, {Unchanged} unchanged, {Rejected} rejected in {ElapsedMs} ms")]
    public static partial void ChunkLoaded(ILogger logger, string jobId, int chunkIndex, string path, long inserted, long updated, long unchanged, long rejected, long elapsedMs);

    [LoggerMessage(11, LogLevel.Debug, "Job {JobId} chunk {ChunkIndex}: already in the ledger, nothing written")]
    public static partial void ChunkReplayed(ILogger logger, string jobId, int chunkIndex);

    [LoggerMessage(12, LogLevel.Debug, "Job {JobId} chunk {ChunkIndex}: the data refused the {Path} path ({SqlState}); trying the next one")]
    public static partial void FallBack(ILogger logger, string jobId, int chunkIndex, string path, string sqlState);

    [LoggerMessage(13, LogLevel.Information, "Job {JobId} chunk {ChunkIndex}: isolated {Count} rows refused by the database")]
    public static partial void RowsIsolated(ILogger logger, string jobId, int chunkIndex, int count);

    [LoggerMessage(14, LogLevel.Warning, "Job {JobId} chunk {ChunkIndex}: retryable failure (attempt {Attempt}), retrying in {DelayMs} ms")]
    public static partial void ChunkRetrying(ILogger logger, Exception exception, string jobId, int chunkIndex, int attempt, long delayMs);

    [LoggerMessage(16, LogLevel.Warning, "Job {JobId}: retryable failure while planning (attempt {Attempt}), retrying in {DelayMs} ms")]
    public static partial void PlanRetrying(ILogger logger, Exception exception, string jobId, int attempt, long delayMs);

    [LoggerMessage(15, LogLevel.Error, "Job {JobId} chunk {ChunkIndex}: failed permanently")]
    public static partial void ChunkFailed(ILogger logger, Exception exception, string jobId, int chunkIndex);

    [LoggerMessage(20, LogLevel.Information, "Job {JobId}: finalized as {State}: {Submitted} submitted, {Inserted} inserted, {Updated} updated, {Unchanged} unchanged, {Rejected} rejected, {FailedChunks} failed chunks")]
    public static partial void Finalized(ILogger logger, string jobId, string state, long submitted, long inserted, long updated, long unchanged, long rejected, int failedChunks);

    [LoggerMessage(21, LogLevel.Warning, "Job {JobId}: failed-records file truncated at its limits: {RecordsListed} records listed, {RecordsOmitted} omitted")]
    public static partial void FailedRecordsTruncated(ILogger logger, string jobId, long recordsListed, long recordsOmitted);

    [LoggerMessage(30, LogLevel.Information, "Schema migration {Version} ({Name}) applied")]
    public static partial void MigrationApplied(ILogger logger, int version, string name);

    [LoggerMessage(31, LogLevel.Debug, "Schema is up to date at version {Version}")]
    public static partial void SchemaUpToDate(ILogger logger, int version);
}
