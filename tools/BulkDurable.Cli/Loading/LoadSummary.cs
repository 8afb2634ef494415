using BulkDurable.Ingestion.Api;
using BulkDurable.Ingestion.Jobs;
using BulkDurable.Ingestion.Running;

namespace BulkDurable.Cli.Loading;

/// <summary>
/// The end of a <c>bulkdurable load</c> run: the one JSON object <c>--json</c> prints, and what the
/// human summary shows. Counts are the job's (from the ledger), so a resumed run reports the whole
/// job; <see cref="ChunksSkipped"/> tells how much earlier runs had loaded.
/// </summary>
/// <param name="JobId">The job.</param>
/// <param name="Dataset">The dataset.</param>
/// <param name="State">The job's final state.</param>
/// <param name="Submitted">Records in the payload.</param>
/// <param name="Inserted">Records that created a row.</param>
/// <param name="Updated">Records that changed a row.</param>
/// <param name="Unchanged">Records that matched a row and changed nothing.</param>
/// <param name="Rejected">Records rejected (see <c>bulkdurable failed-records</c>).</param>
/// <param name="NotLoaded">Records of chunks that failed or did not run (cancelled).</param>
/// <param name="Chunks">Chunks in the plan.</param>
/// <param name="ChunksSkipped">Chunks already in the ledger when this run started.</param>
/// <param name="ChunksNotLoaded">Chunks that failed or did not run.</param>
/// <param name="Seconds">Wall-clock time of this run.</param>
/// <param name="RowsPerSecond">Records of the chunks this run loaded, per second of its wall-clock time.</param>
/// <param name="HasFailedRecords">Whether the job has a failed-records file.</param>
/// <param name="FailedRecordsTruncated">Whether that file reached its limits and lists only the first rejected records.</param>
/// <param name="Problems">
/// Problems of the payload as a whole found while planning (a trailing comma, an array that is not
/// closed): they make a job <c>CompletedWithErrors</c> even when no record was rejected.
/// </param>
/// <param name="Error">Why the job failed as a whole (a payload that cannot be read, a table that does not match), or <see langword="null"/>.</param>
internal sealed record LoadSummary(
    string JobId,
    string Dataset,
    JobState State,
    long Submitted,
    long Inserted,
    long Updated,
    long Unchanged,
    long Rejected,
    long NotLoaded,
    int Chunks,
    int ChunksSkipped,
    int ChunksNotLoaded,
    double Seconds,
    double RowsPerSecond,
    bool HasFailedRecords,
    bool FailedRecordsTruncated,
    IReadOnlyList<ProblemLineDocument> Problems,
    string? Error)
{
    /// <summary>Summarizes a run.</summary>
    /// <param name="run">What the direct runner returned.</param>
    public static LoadSummary From(DirectRunResult run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var result = run.Result;
        var seconds = run.Elapsed.TotalSeconds;
        return new LoadSummary(
            result.JobId,
            result.Dataset,
            result.State,
            result.Submitted,
            result.Inserted,
            result.Updated,
            result.Unchanged,
            result.Rejected,
            result.NotLoaded,
            result.ChunkCount,
            run.ChunksSkipped,
            result.ChunkCount - result.ChunksLoaded,
            Math.Round(seconds, 3),
            seconds > 0 ? Math.Round(run.RecordsLoaded / seconds, 1) : 0,
            result.HasFailedRecords,
            result.FailedRecordsTruncated,
            result.Problems.Select(p => new ProblemLineDocument(p.Line, p.Message)).ToList(),
            result.Error);
    }
}
