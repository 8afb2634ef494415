using BulkDurable.Functions.Diagnostics;
using BulkDurable.Functions.Entities;
using BulkDurable.Ingestion.Jobs;
using BulkDurable.Ingestion.Planning;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

// Orchestrator code resumes on the orchestration's own synchronization context, which replay depends
// on; ConfigureAwait(false) would move it off (the Functions runtime fails such orchestrations).
#pragma warning disable CA2007

namespace BulkDurable.Functions.Orchestration;

/// <summary>
/// One segment of a job: reads the segment's chunks that are not in the ledger (all of them on a
/// first run, what is left on a redrive or a restart), then loads them with a sliding window of at
/// most <see cref="OrchestrationSettings.MaxChunksInFlight"/> <c>LoadChunk</c> activities, reporting
/// the outcomes to the job's <c>JobProgress</c> entity in batches of <see cref="ProgressBatch"/> (a
/// signal is an entity work item and a state write: one per chunk was most of a chunk's Durable cost),
/// and each failed chunk at once. A sub-orchestration per segment keeps each
/// history to a few thousand events, whatever the job's size. A load refused because the segment's
/// run has ended (<see cref="RunEndedException"/>: the job was terminated or redriven) stops it:
/// nothing new is dispatched, nothing is counted as failed.
/// </summary>
public static class LoadSegmentOrchestrator
{
    /// <summary>Chunk outcomes sent to the <c>JobProgress</c> entity in one signal (and whatever is left when the segment ends).</summary>
    public const int ProgressBatch = 16;

    private const string LogCategory = "BulkDurable.Functions.LoadSegment";

    /// <summary>The orchestrator function.</summary>
    [Function(FunctionNames.LoadSegment)]
    public static Task<SegmentResult> RunAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var input = context.GetInput<SegmentInput>();
        if (OrchestrationInputRules.Check(context.InstanceId, input) is { } reason)
        {
            Log.InputRejected(context.CreateReplaySafeLogger(LogCategory), FunctionNames.LoadSegment, context.InstanceId, reason);
            throw new InvalidOperationException($"LoadSegment input rejected: {reason}.");
        }

        return RunAsync(context, input!);
    }

    private static async Task<SegmentResult> RunAsync(TaskOrchestrationContext context, SegmentInput input)
    {
        var logger = context.CreateReplaySafeLogger(LogCategory);
        var settings = input.Settings;
        var options = RetryPolicies.Activity(settings.Retry);
        var progress = EntityIds.JobProgress(input.JobId);
        var cancel = context.WaitForExternalEvent<string>(OrchestrationEvents.Cancel);

        var chunks = await context.CallActivityAsync<IReadOnlyList<ChunkDescriptor>>(
            FunctionNames.GetPendingChunks,
            new PendingChunksRequest(input.JobId, input.Segment.FirstChunk, input.Segment.ChunkCount),
            options);

        var inFlight = new List<(Task<ChunkOutcome> Load, ChunkDescriptor Chunk)>(settings.MaxChunksInFlight);
        var failures = new List<FailedChunk>();
        var unreported = new List<ChunkOutcome>(ProgressBatch);
        int loaded = 0, failed = 0;
        long rejected = 0;
        var stopped = false;
        var ended = false;

        foreach (var chunk in chunks)
        {
            while (inFlight.Count >= settings.MaxChunksInFlight)
            {
                await CompleteOneAsync();
            }

            // Checked between dispatches: chunks in flight always finish, nothing new starts.
            if (ended || cancel.IsCompleted || JobOutcomePolicy.IsFailureCertain(input.Plan.ChunkCount, input.Plan.RecordCount, input.FailedBefore + failed, input.RejectedBefore + rejected, settings.Thresholds()))
            {
                stopped = true;
                break;
            }

            inFlight.Add((context.CallActivityAsync<ChunkOutcome>(FunctionNames.LoadChunk, new LoadChunkRequest(chunk, input.Run), options), chunk));
            context.SetCustomStatus(new SegmentStatus(input.Segment.Index, chunks.Count, loaded, failed, inFlight.Count));
        }

        while (inFlight.Count > 0)
        {
            await CompleteOneAsync();
        }

        await ReportAsync();
        Log.SegmentDone(logger, input.JobId, input.Segment.Index, loaded, failed, stopped || ended);
        return new SegmentResult(loaded, failed, rejected, failures, stopped || ended);

        async Task CompleteOneAsync()
        {
            var finished = await Task.WhenAny(inFlight.Select(f => f.Load));
            var index = inFlight.FindIndex(f => f.Load == finished);
            var chunk = inFlight[index].Chunk;
            inFlight.RemoveAt(index);
            try
            {
                var outcome = await finished;
                loaded++;
                rejected += outcome.Rejected;
                unreported.Add(outcome);
                if (unreported.Count >= ProgressBatch)
                {
                    await ReportAsync();
                }
            }
            catch (TaskFailedException ex) when (ex.FailureDetails.IsCausedBy<RunEndedException>())
            {
                ended = true;
            }
            catch (TaskFailedException ex)
            {
                // Retries are exhausted or the failure is permanent: the chunk is reported and the
                // segment goes on; finalize and the failure threshold decide what it means for the job.
                var failure = new FailedChunk(chunk.Index, chunk.RecordCount, OrchestrationFailures.Describe(ex.FailureDetails));
                failed++;
                if (failures.Count < JobProgress.MaxErrors)
                {
                    failures.Add(failure);
                }

                Log.ChunkFailed(logger, input.JobId, chunk.Index, ex.FailureDetails.ErrorType, ex.FailureDetails.ErrorMessage);
                await context.Entities.SignalEntityAsync(progress, nameof(JobProgressEntity.Fail), failure);
            }
        }

        async Task ReportAsync()
        {
            if (unreported.Count > 0)
            {
                await context.Entities.SignalEntityAsync(progress, nameof(JobProgressEntity.RecordMany), unreported.ToArray());
                unreported.Clear();
            }
        }
    }
}

/// <summary>A segment's custom status.</summary>
/// <param name="Segment">The segment.</param>
/// <param name="Chunks">Chunks the segment runs.</param>
/// <param name="Loaded">Chunks loaded.</param>
/// <param name="Failed">Chunks failed.</param>
/// <param name="InFlight">Chunk loads running.</param>
public sealed record SegmentStatus(int Segment, int Chunks, int Loaded, int Failed, int InFlight);
