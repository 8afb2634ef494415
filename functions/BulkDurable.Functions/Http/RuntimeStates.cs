using Microsoft.DurableTask.Client;

namespace BulkDurable.Functions.Http;

/// <summary>Maps a Durable orchestration's runtime status to the engine's <see cref="JobRuntimeState"/>.</summary>
public static class RuntimeStates
{
    /// <summary>The runtime state of a job orchestration; <see cref="JobRuntimeState.Unknown"/> when there is none.</summary>
    public static JobRuntimeState From(OrchestrationMetadata? instance) => instance?.RuntimeStatus switch
    {
        null => JobRuntimeState.Unknown,
        OrchestrationRuntimeStatus.Pending => JobRuntimeState.Pending,
        OrchestrationRuntimeStatus.Running => JobRuntimeState.Running,
        OrchestrationRuntimeStatus.Suspended => JobRuntimeState.Suspended,
        OrchestrationRuntimeStatus.Completed => JobRuntimeState.Completed,
        OrchestrationRuntimeStatus.Failed => JobRuntimeState.Failed,
        OrchestrationRuntimeStatus.Terminated => JobRuntimeState.Terminated,
        // ContinuedAsNew (obsolete, never reported by the isolated SDK): the instance is still alive.
        _ => JobRuntimeState.Running,
    };
}
