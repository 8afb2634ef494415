using System.Text.Json.Serialization;
using BulkDurable.Ingestion.Jobs;
using BulkDurable.Ingestion.Results;

namespace BulkDurable.Ingestion.Api;

/// <summary>
/// A job's status as clients see it: the body of <c>GET /api/jobs/{jobId}</c> and the output of
/// <c>bulkdurable status</c>. Built from storage by <see cref="JobStatusReader"/>; a host may
/// overlay its own runtime state (a suspended orchestration) and add links.
/// </summary>
/// <param name="JobId">The job.</param>
/// <param name="Dataset">The dataset.</param>
/// <param name="State">Accepted, Running, Suspended (Functions only), Completed, CompletedWithErrors, Failed or Cancelled.</param>
/// <param name="SubmittedAt">When the job was accepted.</param>
/// <param name="StartedAt">When the first chunk started loading.</param>
/// <param name="FinishedAt">When the job was finalized.</param>
/// <param name="Progress">Chunk and record counts, percent, rate and ETA.</param>
/// <param name="Errors">Failed chunks (a sample) and the job-level error, if any.</param>
/// <param name="Problems">Payload-level problems found while planning.</param>
/// <param name="HasFailedRecords">Whether the failed-records file exists.</param>
/// <param name="FailedRecordsTruncated">Whether that file reached its limits and lists only the first rejected records.</param>
/// <param name="Links">Where to go next (host-specific; null in the CLI).</param>
public sealed record JobStatusDocument(
    string JobId,
    string Dataset,
    string State,
    DateTimeOffset SubmittedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    ProgressDocument Progress,
    IReadOnlyList<ErrorDocument> Errors,
    IReadOnlyList<ProblemLineDocument> Problems,
    bool HasFailedRecords,
    bool FailedRecordsTruncated,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, string>? Links = null)
{
    /// <summary>Builds the document from a status read from storage.</summary>
    /// <param name="status">The status.</param>
    /// <param name="runtimeState">A driver's state that storage cannot know (e.g. <c>Suspended</c>), overriding a non-final state.</param>
    public static JobStatusDocument From(JobStatus status, string? runtimeState = null)
    {
        ArgumentNullException.ThrowIfNull(status);
        var progress = status.Progress;
        var result = status.Result;
        var errors = new List<ErrorDocument>();
        if (result?.Error is { } error)
        {
            errors.Add(new ErrorDocument(null, error));
        }

        errors.AddRange((result?.FailedChunks ?? []).Select(f => new ErrorDocument(f.ChunkIndex, f.Error)));
        var state = runtimeState is not null && !status.State.IsTerminal() ? runtimeState : status.State.ToString();
        return new JobStatusDocument(
            status.Job.JobId,
            status.Job.Dataset,
            state,
            status.Job.SubmittedAt,
            result?.StartedAt ?? progress.StartedAt,
            result?.FinishedAt,
            new ProgressDocument(
                new ChunkCountsDocument(progress.ChunkCount, progress.ChunksLoaded, progress.ChunksFailed, progress.ChunksPending),
                new RecordCountsDocument(progress.Submitted, progress.Inserted, progress.Updated, progress.Unchanged, progress.Rejected),
                progress.Percent,
                progress.RowsPerSecond,
                progress.Eta is { } eta ? Math.Round(eta.TotalSeconds, 1) : null),
            errors,
            status.Problems.Select(p => new ProblemLineDocument(p.Line, p.Message)).ToList(),
            result?.HasFailedRecords ?? false,
            result?.FailedRecordsTruncated ?? false);
    }
}

/// <summary>Progress numbers.</summary>
/// <param name="Chunks">Chunk counts.</param>
/// <param name="Records">Record counts.</param>
/// <param name="Percent">Share of records processed (loaded or rejected).</param>
/// <param name="RowsPerSecond">Records loaded per second of loading so far.</param>
/// <param name="EtaSeconds">Estimated seconds to finish, when a rate is known.</param>
public sealed record ProgressDocument(ChunkCountsDocument Chunks, RecordCountsDocument Records, double Percent, double RowsPerSecond, double? EtaSeconds);

/// <summary>Chunks by state.</summary>
/// <param name="Total">In the plan.</param>
/// <param name="Loaded">In the ledger.</param>
/// <param name="Failed">Failed permanently (redrive them).</param>
/// <param name="Pending">Neither loaded nor failed.</param>
public sealed record ChunkCountsDocument(int Total, int Loaded, int Failed, int Pending);

/// <summary>Records by outcome.</summary>
/// <param name="Submitted">In the payload.</param>
/// <param name="Inserted">Created a row.</param>
/// <param name="Updated">Matched an existing key; the row holds the record's values.</param>
/// <param name="Unchanged">Matched an existing key and was ignored.</param>
/// <param name="Rejected">Refused; listed in the failed-records file.</param>
public sealed record RecordCountsDocument(long Submitted, long Inserted, long Updated, long Unchanged, long Rejected);

/// <summary>An error of the job (chunk index null) or of one chunk.</summary>
/// <param name="ChunkIndex">The chunk, or null for the job.</param>
/// <param name="Message">What went wrong.</param>
public sealed record ErrorDocument([property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? ChunkIndex, string Message);

/// <summary>A payload-level problem.</summary>
/// <param name="Line">1-based line.</param>
/// <param name="Message">What is wrong.</param>
public sealed record ProblemLineDocument(long Line, string Message);
