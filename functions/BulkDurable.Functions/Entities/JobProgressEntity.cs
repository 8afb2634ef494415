using BulkDurable.Functions.Orchestration;
using BulkDurable.Ingestion.Jobs;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Entities;

namespace BulkDurable.Functions.Entities;

/// <summary>
/// A job's live progress (<see cref="JobProgress"/>, the engine's fold), fed by the segment
/// orchestrations with the chunks' outcomes, in batches. Folding is idempotent: a re-delivered outcome never
/// counts twice. Its state stays small: chunk sets are ranges, errors are capped. The status API reads
/// exact numbers from the ledger; this entity is the job's progress as the Durable runtime sees it
/// (the Durable entity API, monitoring), a batch behind at most.
/// </summary>
public sealed class JobProgressEntity : TaskEntity<JobProgress>
{
    /// <summary>Records the plan's totals.</summary>
    public void Plan(PlanSummary plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        State.ApplyPlan(plan.ChunkCount, plan.RecordCount, plan.PlanRejected);
    }

    /// <summary>Folds in a chunk outcome; false when the chunk was already counted.</summary>
    public bool Record(ChunkOutcome outcome) => State.Apply(outcome);

    /// <summary>Folds in a batch of chunk outcomes (a segment reports in batches); returns how many were new.</summary>
    public int RecordMany(ChunkOutcome[] outcomes)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        return outcomes.Count(State.Apply);
    }

    /// <summary>Records a chunk that failed permanently; false when it is loaded or already failed.</summary>
    public bool Fail(FailedChunk failure) => State.ApplyFailure(failure);

    /// <summary>Forgets failures before a redrive.</summary>
    public void ClearFailures() => State.ClearFailures();

    /// <summary>The progress.</summary>
    public JobProgress Get() => State;

    /// <summary>The entity function.</summary>
    [Function(FunctionNames.JobProgressEntity)]
    public static Task RunEntityAsync([EntityTrigger] TaskEntityDispatcher dispatcher)
    {
        ArgumentNullException.ThrowIfNull(dispatcher);
        return dispatcher.DispatchAsync<JobProgressEntity>();
    }
}
