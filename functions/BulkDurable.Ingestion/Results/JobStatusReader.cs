using BulkDurable.Ingestion.Jobs;
using BulkDurable.Ingestion.Loading;
using BulkDurable.Ingestion.Payloads.Scanning;
using BulkDurable.Ingestion.Planning;
using BulkDurable.Ingestion.Serialization;
using BulkDurable.Ingestion.Staging;

namespace BulkDurable.Ingestion.Results;

/// <summary>
/// A job's status from what storage holds: <c>job.json</c> (accepted), the manifest (planned),
/// the ledger (progress) and <c>result.json</c> (finished). Needs no driver to be running.
/// </summary>
public sealed class JobStatusReader(IngestionBlobStore store, ChunkPlanner planner, ChunkLedger ledger, TimeProvider timeProvider)
{
    /// <summary>The job as accepted (<c>job.json</c>), or <see langword="null"/> for an unknown job.</summary>
    public Task<JobDescriptor?> ReadJobAsync(string jobId, CancellationToken cancellationToken) =>
        JobIds.IsValid(jobId)
            ? store.ReadJsonAsync(BlobLayout.Job(jobId), IngestionJsonContext.Default.JobDescriptor, cancellationToken)
            : Task.FromResult<JobDescriptor?>(null);

    /// <summary>The job's status, or <see langword="null"/> for an unknown job.</summary>
    public async Task<JobStatus?> ReadAsync(string jobId, CancellationToken cancellationToken)
    {
        if (!JobIds.IsValid(jobId))
        {
            return null;
        }

        var job = await store.ReadJsonAsync(BlobLayout.Job(jobId), IngestionJsonContext.Default.JobDescriptor, cancellationToken).ConfigureAwait(false);
        if (job is null)
        {
            return null;
        }

        var result = await store.ReadJsonAsync(BlobLayout.Result(jobId), IngestionJsonContext.Default.JobResult, cancellationToken).ConfigureAwait(false);
        var manifest = await planner.ReadManifestAsync(jobId, cancellationToken).ConfigureAwait(false);
        var progress = manifest is null ? new JobProgress() : await ledger.ReadProgressAsync(manifest, cancellationToken).ConfigureAwait(false);

        // Failed chunks are not in the ledger: the result names them (a redrive clears them again).
        foreach (var failure in result?.FailedChunks ?? [])
        {
            progress.ApplyFailure(failure);
        }

        var state = result?.State ?? (manifest is null ? JobState.Accepted : JobState.Running);
        return new JobStatus(job, state, progress.Snapshot(timeProvider.GetUtcNow()), manifest?.Problems ?? [], result);
    }

    /// <summary>
    /// Opens the job's failed-records file (NDJSON) for streaming, or returns <see langword="null"/>
    /// when the job has none (yet: it is written when the job is finalized).
    /// </summary>
    public async Task<Stream?> OpenFailedRecordsAsync(string jobId, CancellationToken cancellationToken)
    {
        if (!JobIds.IsValid(jobId))
        {
            return null;
        }

        var name = BlobLayout.FailedRecords(jobId);
        return await store.ExistsAsync(name, cancellationToken).ConfigureAwait(false)
            ? await store.Blob(name).OpenReadAsync(cancellationToken: cancellationToken).ConfigureAwait(false)
            : null;
    }
}

/// <summary>Where a job stands.</summary>
/// <param name="Job">The job as accepted.</param>
/// <param name="State">Its state (from the result once finalized).</param>
/// <param name="Progress">Progress from the ledger.</param>
/// <param name="Problems">Payload-level problems found while planning.</param>
/// <param name="Result">The result, once finalized (a redrive may finalize again).</param>
public sealed record JobStatus(JobDescriptor Job, JobState State, JobProgressSnapshot Progress, IReadOnlyList<PayloadProblem> Problems, JobResult? Result);
