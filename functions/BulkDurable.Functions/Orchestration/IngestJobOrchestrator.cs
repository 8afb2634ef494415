using BulkDurable.Functions.Diagnostics;
using BulkDurable.Functions.Entities;
using BulkDurable.Ingestion.Jobs;
using BulkDurable.Ingestion.Running;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

// Orchestrator code resumes on the orchestration's own synchronization context, which replay depends
// on; ConfigureAwait(false) would move it off (the Functions runtime fails such orchestrations).
#pragma warning disable CA2007

namespace BulkDurable.Functions.Orchestration;

/// <summary>
/// One job (instance id = job id): claim the idempotency key, plan, load the chunks segment by
/// segment (one <see cref="LoadSegmentOrchestrator"/> at a time, so at most
/// <see cref="OrchestrationSettings.MaxChunksInFlight"/> chunk loads run for the job), finalize.
/// Every step is an engine step run as an activity; this code only sequences them. Deterministic: no
/// I/O, clock or randomness outside the context.
/// </summary>
public static class IngestJobOrchestrator
{
    private const string LogCategory = "BulkDurable.Functions.IngestJob";
    private const string CancelReason = "The job was cancelled.";

    /// <summary>The orchestrator function.</summary>
    [Function(FunctionNames.IngestJob)]
    public static Task<JobResult> RunAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var input = context.GetInput<IngestJobInput>() ?? throw new InvalidOperationException("The IngestJob orchestration needs an IngestJobInput.");
        return RunAsync(context, input);
    }

    private static async Task<JobResult> RunAsync(TaskOrchestrationContext context, IngestJobInput input)
    {
        var logger = context.CreateReplaySafeLogger(LogCategory);
        var job = input.Job;
        var settings = input.Settings;
        var options = RetryPolicies.Activity(settings.Retry);
        var progress = EntityIds.JobProgress(job.JobId);

        // Listened to from the start, so a cancellation raised while planning is not lost.
        var cancel = context.WaitForExternalEvent<string>(OrchestrationEvents.Cancel);

        if (input.Redrive)
        {
            // Failed chunks get a clean slate: this run decides whether they fail again.
            await context.Entities.SignalEntityAsync(progress, nameof(JobProgressEntity.ClearFailures));
        }
        else if (job.IdempotencyKey is { } key)
        {
            context.SetCustomStatus(new JobOrchestrationStatus("Claiming", 0, 0, null));
            var claim = await context.Entities.CallEntityAsync<IdempotencyDecision>(
                EntityIds.IdempotencyKey(job.Dataset, key),
                nameof(IdempotencyKeyEntity.Claim),
                new ClaimRequest(job.Dataset, key, job.JobId, job.PayloadSha256, Now(context), settings.IdempotencyWindow));
            if (claim.JobId != job.JobId)
            {
                // Only possible if the key changed hands between the starter's check and this claim:
                // the key belongs to another job, so this one ends without touching any data.
                Log.KeyHeldByAnotherJob(logger, job.JobId, claim.JobId);
                context.SetCustomStatus(new JobOrchestrationStatus("Superseded", 0, 0, null));
                return await FinalizeAsync(context, new FinalizeRequest(job.JobId, Error: $"The Idempotency-Key of this job belongs to job {claim.JobId}."), options);
            }
        }

        context.SetCustomStatus(new JobOrchestrationStatus("Planning", 0, 0, null));
        var plan = await context.CallActivityAsync<PlanSummary>(FunctionNames.PlanJob, job, options);
        if (plan.Error is not null)
        {
            Log.PlanRejected(logger, job.JobId, plan.Error);
            return await FinalizeAsync(context, new FinalizeRequest(job.JobId, Error: plan.Error), options);
        }

        await context.Entities.SignalEntityAsync(progress, nameof(JobProgressEntity.Plan), plan);
        var segments = ChunkSegments.Split(plan.ChunkCount, settings.ChunksPerSegment);
        Log.Planned(logger, job.JobId, plan.ChunkCount, segments.Count, input.Run);
        context.SetCustomStatus(new JobOrchestrationStatus("Loading", 0, segments.Count, null));

        var failures = new List<FailedChunk>();
        var failedChunks = 0;
        var rejected = plan.PlanRejected;
        var cancelled = false;
        string? error = null;
        var done = 0;
        foreach (var segment in segments)
        {
            if (cancel.IsCompleted)
            {
                cancelled = true;
                break;
            }

            if (JobOutcomePolicy.IsFailureCertain(plan.ChunkCount, plan.RecordCount, failedChunks, rejected, settings.Thresholds()))
            {
                Log.ThresholdExceeded(logger, job.JobId, failedChunks, rejected);
                break;
            }

            var segmentId = SegmentInstanceId(job.JobId, segment.Index, input.Run);
            var run = context.CallSubOrchestratorAsync<SegmentResult>(
                FunctionNames.LoadSegment,
                new SegmentInput(job.JobId, segment, plan, settings, failedChunks, rejected),
                new SubOrchestrationOptions { InstanceId = segmentId });
            try
            {
                if (await Task.WhenAny(run, cancel) == cancel && !run.IsCompleted)
                {
                    // The segment stops scheduling, lets its chunks in flight finish and returns.
                    context.SendEvent(segmentId, OrchestrationEvents.Cancel, CancelReason);
                    cancelled = true;
                }

                var result = await run;
                failedChunks += result.ChunksFailed;
                rejected += result.RecordsRejected;
                failures.AddRange(result.Failures.Take(JobProgress.MaxErrors - failures.Count));
            }
            catch (TaskFailedException ex)
            {
                // A segment that cannot run (e.g. its chunk index cannot be read) ends the job; the
                // ledger keeps what was loaded and a redrive resumes the rest.
                error = $"Segment {segment.Index} failed: {ex.FailureDetails.ErrorMessage}";
                Log.SegmentFailed(logger, job.JobId, segment.Index, ex.FailureDetails.ErrorMessage);
                break;
            }

            done++;
            var snapshot = await context.Entities.CallEntityAsync<JobProgress>(progress, nameof(JobProgressEntity.Get));
            context.SetCustomStatus(new JobOrchestrationStatus("Loading", done, segments.Count, snapshot.Snapshot(Now(context))));
            if (cancelled)
            {
                break;
            }
        }

        context.SetCustomStatus(new JobOrchestrationStatus("Finalizing", done, segments.Count, null));
        var jobResult = await FinalizeAsync(context, new FinalizeRequest(job.JobId, cancelled || cancel.IsCompleted, error, failures), options);
        Log.Finished(logger, job.JobId, jobResult.State.ToString(), jobResult.ChunksLoaded, jobResult.ChunkCount);
        context.SetCustomStatus(new JobOrchestrationStatus("Finished", done, segments.Count, null));
        return jobResult;
    }

    /// <summary>
    /// The instance id of a segment sub-orchestration. The run number keeps a redrive's segments apart
    /// from the finished segments of earlier runs.
    /// </summary>
    public static string SegmentInstanceId(string jobId, int segmentIndex, int run) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{jobId}:seg:{segmentIndex}:r{run}");

    private static Task<JobResult> FinalizeAsync(TaskOrchestrationContext context, FinalizeRequest request, TaskOptions options) =>
        context.CallActivityAsync<JobResult>(FunctionNames.FinalizeJob, request, options);

    private static DateTimeOffset Now(TaskOrchestrationContext context) =>
        new(DateTime.SpecifyKind(context.CurrentUtcDateTime, DateTimeKind.Utc));
}
