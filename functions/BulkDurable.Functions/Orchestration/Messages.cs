using BulkDurable.Ingestion.Jobs;
using BulkDurable.Ingestion.Planning;

namespace BulkDurable.Functions.Orchestration;

/// <summary>
/// The input of the <c>IngestJob</c> orchestration: a small job descriptor, never records.
/// </summary>
/// <param name="Job">The job as accepted (<c>job.json</c>).</param>
/// <param name="Settings">The options the job runs with.</param>
/// <param name="Redrive">Whether this run re-runs a finished job's chunks that are not loaded.</param>
/// <param name="Run">The run number: 0 for the first run, incremented by each redrive; it keeps the
/// segment sub-orchestration ids of a run apart from those of earlier runs.</param>
/// <param name="Carried">What this run had done when it continued as new (null for a run's first generation).</param>
public sealed record IngestJobInput(JobDescriptor Job, OrchestrationSettings Settings, bool Redrive = false, int Run = 0, JobRunCarry? Carried = null);

/// <summary>What planning found, small enough for orchestration history (the manifest can be big).</summary>
/// <param name="ChunkCount">Chunks in the plan.</param>
/// <param name="RecordCount">Records in the payload.</param>
/// <param name="PlanRejected">Records rejected while planning.</param>
/// <param name="Error">Why the payload cannot be loaded at all, if so (the job is finalized as failed).</param>
/// <param name="InputRejected">
/// Whether the orchestration's job is not the job the starter accepted (<c>job.json</c>): the
/// orchestration was not started by us, so it ends failed without touching the job (no finalize).
/// </param>
public sealed record PlanSummary(int ChunkCount, long RecordCount, long PlanRejected, string? Error = null, bool InputRejected = false)
{
    /// <summary>The summary of a plan.</summary>
    public static PlanSummary From(JobManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return new PlanSummary(manifest.ChunkCount, manifest.RecordCount, manifest.PlanRejectedCount);
    }

    /// <summary>A payload (or dataset) that cannot be loaded.</summary>
    public static PlanSummary Rejected(string error) => new(0, 0, 0, error);

    /// <summary>An orchestration input whose job is not the accepted one.</summary>
    public static PlanSummary Untrusted(string error) => new(0, 0, 0, error, InputRejected: true);
}

/// <summary>Input of <c>GetPendingChunks</c>: a range of chunks.</summary>
/// <param name="JobId">The job.</param>
/// <param name="FirstChunk">First chunk of the range.</param>
/// <param name="ChunkCount">Chunks in the range.</param>
public sealed record PendingChunksRequest(string JobId, int FirstChunk, int ChunkCount);

/// <summary>The input of a <c>LoadSegment</c> sub-orchestration.</summary>
/// <param name="JobId">The job.</param>
/// <param name="Segment">The chunks of the segment.</param>
/// <param name="Plan">The job's plan summary (for the failure thresholds).</param>
/// <param name="Settings">The job's settings.</param>
/// <param name="FailedBefore">Chunks of the job that failed in earlier segments of this run.</param>
/// <param name="RejectedBefore">Records of the job rejected so far in this run (planning included).</param>
/// <param name="Run">The job's run the segment belongs to: its chunk loads start only while that run is the job's live one.</param>
public sealed record SegmentInput(string JobId, ChunkSegment Segment, PlanSummary Plan, OrchestrationSettings Settings, int FailedBefore, long RejectedBefore, int Run = 0);

/// <summary>What a segment did.</summary>
/// <param name="ChunksLoaded">Chunks loaded (or found already loaded).</param>
/// <param name="ChunksFailed">Chunks that failed permanently.</param>
/// <param name="RecordsRejected">Records rejected by the chunks loaded.</param>
/// <param name="Failures">The failed chunks, at most <see cref="JobProgress.MaxErrors"/>.</param>
/// <param name="Stopped">Whether the segment stopped before running every chunk (cancelled, the failure threshold was exceeded, or its run ended).</param>
public sealed record SegmentResult(int ChunksLoaded, int ChunksFailed, long RecordsRejected, IReadOnlyList<FailedChunk> Failures, bool Stopped);

/// <summary>
/// The orchestration's custom status: a few hundred bytes, far below the 16 KB limit. The status
/// API (<c>GET /api/jobs/{jobId}</c>) reads exact numbers from storage; this is for the Durable
/// management endpoints, monitoring, and the job commands (which segment to suspend with the job).
/// </summary>
/// <param name="Phase">Claiming, Planning, Loading, Finalizing, Finished or Superseded.</param>
/// <param name="SegmentsDone">Segments finished in this run.</param>
/// <param name="SegmentCount">Segments in the job.</param>
/// <param name="Progress">What this run has done so far, from its own bookkeeping.</param>
/// <param name="ActiveSegment">The instance id of the segment running now, if one is.</param>
public sealed record JobOrchestrationStatus(string Phase, int SegmentsDone, int SegmentCount, RunTally? Progress, string? ActiveSegment = null);

/// <summary>
/// Input of the <c>IdempotencyKey</c> entity's <c>Claim</c> operation. The time is the orchestration's
/// (replay-safe) time.
/// </summary>
/// <param name="Dataset">The dataset the key is scoped to.</param>
/// <param name="Key">The client's key.</param>
/// <param name="JobId">The job claiming the key.</param>
/// <param name="PayloadSha256">The job's payload hash.</param>
/// <param name="Now">When the claim is made.</param>
/// <param name="Window">How long the key maps to its job.</param>
public sealed record ClaimRequest(string Dataset, string Key, string JobId, string PayloadSha256, DateTimeOffset Now, TimeSpan Window);

/// <summary>Input of the <c>IdempotencyKey</c> entity's scheduled <c>Expire</c> operation.</summary>
/// <param name="Generation">The key generation the expiry was scheduled for; a later claim makes it moot.</param>
/// <param name="Window">How long the key maps to its job.</param>
public sealed record ExpireRequest(int Generation, TimeSpan Window);
