using BulkDurable.Ingestion.Api;
using BulkDurable.Ingestion.Jobs;
using BulkDurable.Ingestion.Results;

namespace BulkDurable.Functions.Http;

/// <summary>Which <see cref="JobCommand"/> a job accepts in which state.</summary>
public static class JobCommandPolicy
{
    /// <summary>
    /// Null when <paramref name="command"/> may run; otherwise the 409 problem to answer.
    /// <list type="bullet">
    /// <item>Cancel and suspend: a job that is pending or running (suspend also a pending one).</item>
    /// <item>Cancel also: a suspended job (it is resumed to see the cancellation).</item>
    /// <item>Resume: a suspended job.</item>
    /// <item>Redrive: a job whose run has ended (or was never started) and that has chunks left to load.</item>
    /// </list>
    /// </summary>
    public static ApiProblem? Check(JobCommand command, JobRuntimeState runtime, JobStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var allowed = command switch
        {
            JobCommand.Cancel => runtime is JobRuntimeState.Pending or JobRuntimeState.Running or JobRuntimeState.Suspended,
            JobCommand.Suspend => runtime is JobRuntimeState.Pending or JobRuntimeState.Running,
            JobCommand.Resume => runtime is JobRuntimeState.Suspended,
            JobCommand.Redrive => IsEnded(runtime) && HasChunksLeft(status),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command, null),
        };
        return allowed
            ? null
            : ApiProblem.InvalidState(status.Job.JobId, JobStatusView.StateOf(status, runtime), Describe(command, runtime));
    }

    /// <summary>Whether the host's run of the job is over (or never happened).</summary>
    public static bool IsEnded(JobRuntimeState runtime) =>
        runtime is JobRuntimeState.Unknown or JobRuntimeState.Completed or JobRuntimeState.Failed or JobRuntimeState.Terminated;

    /// <summary>
    /// Whether a redrive has something to do: the job was planned and some of its chunks are not in
    /// the ledger, or it never got a result (its run ended without finalizing).
    /// </summary>
    public static bool HasChunksLeft(JobStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        if (status.Result is not { } result)
        {
            return true;
        }

        return result.State != JobState.Completed && result.ChunksLoaded < result.ChunkCount;
    }

    private static string Describe(JobCommand command, JobRuntimeState runtime) => command switch
    {
        JobCommand.Redrive when IsEnded(runtime) => "redriven: every chunk is loaded",
        JobCommand.Redrive => "redriven before its current run ends",
        JobCommand.Resume => "resumed: it is not suspended",
        JobCommand.Suspend => "suspended: it is not running",
        _ => "cancelled: it is not running",
    };
}
