using BulkDurable.Functions.Diagnostics;
using BulkDurable.Functions.Entities;
using BulkDurable.Ingestion.Api;
using BulkDurable.Ingestion.Jobs;
using BulkDurable.Ingestion.Running;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;

// Orchestrator code resumes on the orchestration's own synchronization context, which replay depends
// on; ConfigureAwait(false) would move it off (the Functions runtime fails such orchestrations).
#pragma warning disable CA2007

namespace BulkDurable.Functions.Orchestration;

/// <summary>
/// One job (instance id = job id; its input is checked as untrusted, <see cref="OrchestrationInputRules"/>):
/// plan, claim the idempotency key, load the chunks segment by
/// segment (one <see cref="LoadSegmentOrchestrator"/> at a time, so at most
/// <see cref="OrchestrationSettings.MaxChunksInFlight"/> chunk loads run for the job), finalize.
/// Every step is an engine step run as an activity; this code only sequences them and keeps the
/// run's tally itself. Every <see cref="OrchestrationSettings.SegmentsPerGeneration"/> segments it
/// continues as new with that tally, so its history stays small; whatever fails, the job is finalized.
/// Deterministic: no I/O, clock or randomness outside the context.
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
        var input = context.GetInput<IngestJobInput>();
        if (OrchestrationInputRules.Check(context.InstanceId, input) is { } reason)
        {
            Log.InputRejected(context.CreateReplaySafeLogger(LogCategory), FunctionNames.IngestJob, context.InstanceId, reason);
            throw new InvalidOperationException($"IngestJob input rejected: {reason}.");
        }

        return RunAsync(context, input!);
    }

    /// <summary>
    /// The instance id of a segment sub-orchestration. The run number keeps a redrive's segments apart
    /// from the finished segments of earlier runs.
    /// </summary>
    public static string SegmentInstanceId(string jobId, int segmentIndex, int run) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{jobId}:seg:{segmentIndex}:r{run}");

    /// <summary>The prefix of the instance ids of every segment of a job, whatever the run.</summary>
    public static string SegmentInstancePrefix(string jobId) => jobId + ":seg:";

    private static async Task<JobResult> RunAsync(TaskOrchestrationContext context, IngestJobInput input)
    {
        var logger = context.CreateReplaySafeLogger(LogCategory);
        var job = input.Job;
        var options = RetryPolicies.Activity(input.Settings.Retry);

        // Listened to from the start, so a cancellation raised while planning is not lost.
        var cancel = context.WaitForExternalEvent<string>(OrchestrationEvents.Cancel);
        try
        {
            if (input.Carried?.Plan is { } carried)
            {
                return await LoadAsync(context, input, carried, cancel, options, logger);
            }

            var start = await StartRunAsync(context, input, options, logger);
            return start.Ended ?? await LoadAsync(context, input, start.Plan!, cancel, options, logger);
        }
        catch (Exception ex) when (ex is TaskFailedException or EntityOperationFailedException)
        {
            // A step failed in a way the job cannot recover from (retries exhausted, a permanent
            // failure): the job is still finalized, so its status and result say so.
            var reason = OrchestrationFailures.Describe(ex);
            Log.RunFailed(logger, job.JobId, reason, ex.ToString());
            return await FinalizeAsync(context, new FinalizeRequest(job.JobId, cancel.IsCompleted, $"The job failed: {reason}", input.Carried?.Failures), options);
        }
    }

    /// <summary>
    /// The first generation of a run: the plan (which also proves the input's job is the accepted
    /// one), then the redrive clean-up or the idempotency claim; or the result when the run ends there.
    /// </summary>
    private static async Task<RunStart> StartRunAsync(TaskOrchestrationContext context, IngestJobInput input, TaskOptions options, Microsoft.Extensions.Logging.ILogger logger)
    {
        var job = input.Job;
        context.SetCustomStatus(new JobOrchestrationStatus("Planning", 0, 0, null));
        var plan = await context.CallActivityAsync<PlanSummary>(FunctionNames.PlanJob, job, options);
        if (plan.InputRejected)
        {
            // Not our input: nothing of the job it names may be touched, its result least of all.
            throw new InvalidOperationException($"IngestJob input rejected: {plan.Error}");
        }

        var progress = EntityIds.JobProgress(job.JobId);
        if (input.Redrive)
        {
            // Failed chunks get a clean slate: this run decides whether they fail again.
            await context.Entities.SignalEntityAsync(progress, nameof(JobProgressEntity.ClearFailures));
        }
        else if (job.IdempotencyKey is { } key)
        {
            context.SetCustomStatus(new JobOrchestrationStatus("Claiming", 0, 0, null));
            var claim = await context.Entities.CallEntityAsync<IdempotencyDecision>(
                EntityIds.IdempotencyKey(job.Dataset, job.Caller, key),
                nameof(IdempotencyKeyEntity.Claim),
                new ClaimRequest(job.Dataset, IdempotencyKeys.Scope(job.Caller, key), job.JobId, job.PayloadSha256, Now(context), input.Settings.IdempotencyWindow));
            if (claim.JobId != job.JobId)
            {
                // Only possible if the key changed hands between the starter's check and this claim:
                // the key belongs to another job, so this one ends without loading anything.
                Log.KeyHeldByAnotherJob(logger, job.JobId, claim.JobId);
                context.SetCustomStatus(new JobOrchestrationStatus("Superseded", 0, 0, null));
                return new RunStart(null, await FinalizeAsync(context, new FinalizeRequest(job.JobId, Error: $"The Idempotency-Key of this job belongs to job {claim.JobId}."), options));
            }
        }

        if (plan.Error is not null)
        {
            Log.PlanRejected(logger, job.JobId, plan.Error);
            return new RunStart(null, await FinalizeAsync(context, new FinalizeRequest(job.JobId, Error: plan.Error), options));
        }

        await context.Entities.SignalEntityAsync(progress, nameof(JobProgressEntity.Plan), plan);
        return new RunStart(plan, null);
    }

    private static async Task<JobResult> LoadAsync(TaskOrchestrationContext context, IngestJobInput input, PlanSummary plan, Task<string> cancel, TaskOptions options, Microsoft.Extensions.Logging.ILogger logger)
    {
        var job = input.Job;
        var settings = input.Settings;
        var segments = ChunkSegments.Split(plan.ChunkCount, settings.ChunksPerSegment);
        var first = input.Carried?.NextSegment ?? 0;
        if (input.Carried is null)
        {
            Log.Planned(logger, job.JobId, plan.ChunkCount, segments.Count, input.Run);
        }

        var tally = input.Carried?.Tally ?? new RunTally(plan.ChunkCount, 0, 0, plan.PlanRejected);
        var failures = new List<FailedChunk>(input.Carried?.Failures ?? []);
        var cancelled = false;
        string? error = null;
        var done = first;
        context.SetCustomStatus(new JobOrchestrationStatus("Loading", done, segments.Count, tally));
        for (var index = first; index < segments.Count; index++)
        {
            if (cancel.IsCompleted)
            {
                cancelled = true;
                break;
            }

            if (JobOutcomePolicy.IsFailureCertain(plan.ChunkCount, plan.RecordCount, tally.ChunksFailed, tally.RecordsRejected, settings.Thresholds()))
            {
                Log.ThresholdExceeded(logger, job.JobId, tally.ChunksFailed, tally.RecordsRejected);
                break;
            }

            if (index - first == settings.SegmentsPerGeneration)
            {
                // A new generation of the same run: unprocessed events (a cancel) are carried over.
                context.ContinueAsNew(input with { Carried = new JobRunCarry(plan, index, tally, failures) }, preserveUnprocessedEvents: true);
                return default!;
            }

            var segment = segments[index];
            var segmentId = SegmentInstanceId(job.JobId, segment.Index, input.Run);
            context.SetCustomStatus(new JobOrchestrationStatus("Loading", done, segments.Count, tally, segmentId));
            var run = context.CallSubOrchestratorAsync<SegmentResult>(
                FunctionNames.LoadSegment,
                new SegmentInput(job.JobId, segment, plan, settings, tally.ChunksFailed, tally.RecordsRejected, input.Run),
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
                tally = tally.Add(result);
                failures.AddRange(result.Failures.Take(JobProgress.MaxErrors - failures.Count));
            }
            catch (TaskFailedException ex)
            {
                // A segment that cannot run (e.g. its chunk index cannot be read) ends the job; the
                // ledger keeps what was loaded and a redrive resumes the rest.
                var reason = OrchestrationFailures.Describe(ex);
                error = $"Segment {segment.Index} failed: {reason}";
                Log.SegmentFailed(logger, job.JobId, segment.Index, reason, ex.ToString());
                break;
            }

            done++;
            context.SetCustomStatus(new JobOrchestrationStatus("Loading", done, segments.Count, tally));
            if (cancelled)
            {
                break;
            }
        }

        context.SetCustomStatus(new JobOrchestrationStatus("Finalizing", done, segments.Count, tally));
        var jobResult = await FinalizeAsync(context, new FinalizeRequest(job.JobId, cancelled || cancel.IsCompleted, error, failures), options);
        Log.Finished(logger, job.JobId, jobResult.State.ToString(), jobResult.ChunksLoaded, jobResult.ChunkCount);
        context.SetCustomStatus(new JobOrchestrationStatus("Finished", done, segments.Count, tally));
        return jobResult;
    }

    private static Task<JobResult> FinalizeAsync(TaskOrchestrationContext context, FinalizeRequest request, TaskOptions options) =>
        context.CallActivityAsync<JobResult>(FunctionNames.FinalizeJob, request, options);

    private static DateTimeOffset Now(TaskOrchestrationContext context) =>
        new(DateTime.SpecifyKind(context.CurrentUtcDateTime, DateTimeKind.Utc));

    /// <summary>How a run's first generation ends: with the plan to load, or the job's result when it ends before loading.</summary>
    private sealed record RunStart(PlanSummary? Plan, JobResult? Ended);
}
