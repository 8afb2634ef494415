using System.Runtime.CompilerServices;
using BulkDurable.Ingestion.Configuration;
using BulkDurable.Ingestion.Diagnostics;
using BulkDurable.Ingestion.Jobs;
using BulkDurable.Ingestion.Loading;
using BulkDurable.Ingestion.Planning;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BulkDurable.Ingestion.Running;

/// <summary>
/// Runs a job in-process, without Durable Functions: the <see cref="IngestionSteps"/> in a bounded
/// parallel loop, with exponential back-off and jitter for retryable failures. Running a job again
/// resumes it: chunks already in the ledger are skipped. Cancelling stops cleanly: chunks in flight
/// roll back and the job is finalized as cancelled, ready to be resumed. Once the failures so far
/// make the job fail whatever happens next (<see cref="JobOutcomePolicy.IsFailureCertain"/>), no
/// new chunk starts.
/// </summary>
public sealed class DirectJobRunner(
    IngestionSteps steps,
    IOptions<OrchestrationOptions> options,
    IOptions<IngestionOptions> ingestion,
    TimeProvider timeProvider,
    ILogger<DirectJobRunner> logger)
{
    /// <summary>Runs (or resumes) a job to its end.</summary>
    /// <param name="job">The job; when a job with this id exists, its payload and dataset must be the same.</param>
    /// <param name="parallelism">Chunks loaded at once; <see cref="OrchestrationOptions.MaxChunksInFlight"/> when null.</param>
    /// <param name="progress">Receives a snapshot after each chunk.</param>
    /// <param name="cancellationToken">Stops the run; the job is finalized as cancelled.</param>
    /// <exception cref="JobConflictException">A different job already uses this id.</exception>
    public async Task<DirectRunResult> RunAsync(JobDescriptor job, int? parallelism, IProgress<JobProgressSnapshot>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var started = timeProvider.GetTimestamp();
        var accepted = await steps.AcceptAsync(job, cancellationToken).ConfigureAwait(false);
        if (!string.Equals(accepted.PayloadSha256, job.PayloadSha256, StringComparison.OrdinalIgnoreCase) || accepted.Dataset != job.Dataset)
        {
            throw new JobConflictException(job.JobId, accepted);
        }

        var plan = await steps.TryPlanAsync(accepted, cancellationToken).ConfigureAwait(false);
        if (plan.Manifest is not { } manifest)
        {
            var failed = await steps.FinalizeAsync(new FinalizeRequest(job.JobId, Error: plan.Error), CancellationToken.None).ConfigureAwait(false);
            return new DirectRunResult(failed, 0, timeProvider.GetElapsedTime(started));
        }

        var tracker = await steps.ReadProgressAsync(manifest, cancellationToken).ConfigureAwait(false);
        var skipped = tracker.Loaded.Count;
        progress?.Report(tracker.Snapshot(timeProvider.GetUtcNow()));

        var failures = new List<FailedChunk>();
        var cancelled = false;
        var hopeless = false;
        try
        {
            await Parallel.ForEachAsync(
                PendingChunksAsync(manifest, cancellationToken),
                new ParallelOptions { MaxDegreeOfParallelism = parallelism ?? options.Value.MaxChunksInFlight, CancellationToken = cancellationToken },
                async (chunk, token) =>
                {
                    if (Volatile.Read(ref hopeless))
                    {
                        return;
                    }

                    JobProgressSnapshot snapshot;
                    try
                    {
                        var outcome = await LoadWithRetriesAsync(chunk, token).ConfigureAwait(false);
                        lock (tracker)
                        {
                            tracker.Apply(outcome);
                            snapshot = tracker.Snapshot(timeProvider.GetUtcNow());
                        }
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        Log.ChunkFailed(logger, ex, chunk.JobId, chunk.Index);
                        var failure = new FailedChunk(chunk.Index, chunk.RecordCount, ex.Message);
                        lock (tracker)
                        {
                            tracker.ApplyFailure(failure);
                            failures.Add(failure);
                            snapshot = tracker.Snapshot(timeProvider.GetUtcNow());

                            // Chunks in flight finish; no new one starts. A redrive resumes the rest.
                            hopeless |= JobOutcomePolicy.IsFailureCertain(
                                manifest.ChunkCount, manifest.RecordCount, tracker.Failed.Count, tracker.Rejected + tracker.PlanRejected, ingestion.Value);
                        }
                    }

                    progress?.Report(snapshot);
                }).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            cancelled = true;
        }

        var result = await steps.FinalizeAsync(new FinalizeRequest(job.JobId, cancelled, Failures: failures), CancellationToken.None).ConfigureAwait(false);
        return new DirectRunResult(result, skipped, timeProvider.GetElapsedTime(started));
    }

    private async IAsyncEnumerable<ChunkDescriptor> PendingChunksAsync(JobManifest manifest, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var segment in ChunkSegments.Split(manifest.ChunkCount, options.Value.ChunksPerSegment))
        {
            foreach (var chunk in await steps.GetPendingChunksAsync(manifest.JobId, segment.FirstChunk, segment.ChunkCount, cancellationToken).ConfigureAwait(false))
            {
                yield return chunk;
            }
        }
    }

    private async Task<ChunkOutcome> LoadWithRetriesAsync(ChunkDescriptor chunk, CancellationToken cancellationToken)
    {
        var retry = options.Value.Retry;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await steps.LoadChunkAsync(chunk, cancellationToken).ConfigureAwait(false);
            }
            catch (RetryableIngestionException ex) when (attempt < retry.MaxAttempts && !cancellationToken.IsCancellationRequested)
            {
                var delay = Backoff.Delay(attempt, retry, Random.Shared);
                Log.ChunkRetrying(logger, ex, chunk.JobId, chunk.Index, attempt, (long)delay.TotalMilliseconds);
                await Task.Delay(delay, timeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}

/// <summary>The end of a direct run.</summary>
/// <param name="Result">The job's result, as finalized.</param>
/// <param name="ChunksSkipped">Chunks that were already in the ledger when the run started.</param>
/// <param name="Elapsed">Wall-clock time of the run.</param>
public sealed record DirectRunResult(JobResult Result, int ChunksSkipped, TimeSpan Elapsed);

/// <summary>A job id is already used by a job with another payload or dataset.</summary>
public sealed class JobConflictException : Exception
{
    /// <summary>Creates the exception for a job id held by a job with another payload or dataset.</summary>
    public JobConflictException(string jobId, JobDescriptor existing)
        : base($"Job {jobId} already exists with another payload or dataset (dataset '{existing?.Dataset}', payload SHA-256 {existing?.PayloadSha256}). Use a new job id.") =>
        Existing = existing ?? throw new ArgumentNullException(nameof(existing));

    /// <summary>Creates the exception with the reason the job id cannot be used.</summary>
    public JobConflictException(string jobId, string reason)
        : base($"Job {jobId}: {reason}.")
    {
    }

    /// <summary>The job that holds the id, when known.</summary>
    public JobDescriptor? Existing { get; }
}
