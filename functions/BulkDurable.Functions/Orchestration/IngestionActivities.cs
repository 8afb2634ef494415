using BulkDurable.Functions.Diagnostics;
using BulkDurable.Ingestion.Jobs;
using BulkDurable.Ingestion.Loading;
using BulkDurable.Ingestion.Planning;
using BulkDurable.Ingestion.Running;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace BulkDurable.Functions.Orchestration;

/// <summary>
/// The engine's runner steps (<see cref="IngestionSteps"/>) as activities. Failures the engine
/// classifies as transient become <see cref="RetryableIngestionException"/>, the one exception the
/// orchestrations' retry policy retries; so does a load cut short by the host shutting down (the
/// ledger makes the retry safe).
/// </summary>
public sealed class IngestionActivities(IngestionSteps steps, ILogger<IngestionActivities> logger)
{
    /// <summary>
    /// Plans the job (or returns the existing plan), once the job the orchestration carries is the
    /// one the starter accepted. A payload or dataset that cannot be loaded is a result, not a failure.
    /// </summary>
    [Function(FunctionNames.PlanJob)]
    public async Task<PlanSummary> PlanJobAsync([ActivityTrigger] JobDescriptor job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        try
        {
            if (!JobIds.IsValid(job.JobId) || await steps.ReadJobAsync(job.JobId, cancellationToken).ConfigureAwait(false) != job)
            {
                Log.InputRejected(logger, FunctionNames.IngestJob, job.JobId, "its job is not the job the starter accepted");
                return PlanSummary.Untrusted("The orchestration's job is not the job accepted under this id.");
            }

            var outcome = await steps.TryPlanAsync(job, cancellationToken).ConfigureAwait(false);
            return outcome.Manifest is { } manifest ? PlanSummary.From(manifest) : PlanSummary.Rejected(outcome.Error!);
        }
        catch (Exception ex) when (IsTransient(ex, cancellationToken))
        {
            throw Retryable(ex, $"Planning job {job.JobId}");
        }
    }

    /// <summary>The chunks of a range that are not loaded yet.</summary>
    [Function(FunctionNames.GetPendingChunks)]
    public async Task<IReadOnlyList<ChunkDescriptor>> GetPendingChunksAsync([ActivityTrigger] PendingChunksRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            return await steps.GetPendingChunksAsync(request.JobId, request.FirstChunk, request.ChunkCount, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsTransient(ex, cancellationToken))
        {
            throw Retryable(ex, $"Reading the pending chunks of job {request.JobId}");
        }
    }

    /// <summary>
    /// Loads one chunk exactly once in effect, if its run is still the job's live run (a terminated or
    /// redriven job starts no chunk of an ended run). A permanent failure reaches the job as its
    /// <see cref="FailureReport"/>; its own text is logged here with the job and chunk.
    /// </summary>
    [Function(FunctionNames.LoadChunk)]
    public async Task<ChunkOutcome> LoadChunkAsync([ActivityTrigger] LoadChunkRequest request, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(client);
        var chunk = request.Chunk;
        try
        {
            if (!await IsRunLiveAsync(client, request, cancellationToken).ConfigureAwait(false))
            {
                Log.RunEnded(logger, chunk.JobId, chunk.Index, request.Run);
                throw new RunEndedException($"Run {request.Run} of job {chunk.JobId} has ended; chunk {chunk.Index} was not loaded.");
            }

            return await steps.LoadChunkAsync(chunk, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsTransient(ex, cancellationToken))
        {
            throw Retryable(ex, $"Loading chunk {chunk.Index} of job {chunk.JobId}");
        }
        catch (Exception ex) when (ex is not (RetryableIngestionException or RunEndedException))
        {
            var report = FailureReport.Describe(ex);
            Log.ChunkLoadFailed(logger, ex, chunk.JobId, chunk.Index, report.ToString());
            throw new ChunkLoadFailedException($"Chunk {chunk.Index}: {report}");
        }
    }

    /// <summary>Finalizes the job: totals from the ledger, final state, failed-records file, result.</summary>
    [Function(FunctionNames.FinalizeJob)]
    public async Task<JobResult> FinalizeJobAsync([ActivityTrigger] FinalizeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            return await steps.FinalizeAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsTransient(ex, cancellationToken))
        {
            throw Retryable(ex, $"Finalizing job {request.JobId}");
        }
    }

    /// <summary>The run fence; a failure to ask says nothing about the chunk, so it is retried.</summary>
    private async Task<bool> IsRunLiveAsync(DurableTaskClient client, LoadChunkRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await RunFence.IsLiveAsync(client, request.Chunk.JobId, request.Run, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw Retryable(ex, $"Checking the run of chunk {request.Chunk.Index} of job {request.Chunk.JobId}");
        }
    }

    private static bool IsTransient(Exception exception, CancellationToken cancellationToken) =>
        exception is not RetryableIngestionException
        && ((exception is OperationCanceledException && cancellationToken.IsCancellationRequested) || FailureClassifier.IsRetryable(exception));

    private RetryableIngestionException Retryable(Exception exception, string what)
    {
        // The message reaches the job's result once retries are exhausted: the report, not the text.
        Log.StepRetryable(logger, exception, what);
        return new RetryableIngestionException($"{what}: {FailureReport.Describe(exception)}", exception);
    }
}
