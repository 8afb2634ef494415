using Microsoft.DurableTask.Client;

namespace BulkDurable.Functions.Orchestration;

/// <summary>
/// Whether a run of a job is still the job's live run. Terminating an orchestration does not
/// terminate its sub-orchestrations, and a redrive replaces the job orchestration while an old
/// segment may still be dispatching: each chunk load asks first, so that after a terminate or
/// redrive no chunk of an ended run starts.
/// </summary>
public static class RunFence
{
    /// <summary>True when the job's orchestration is live (pending, running or suspended) and runs <paramref name="run"/>.</summary>
    public static async Task<bool> IsLiveAsync(DurableTaskClient client, string jobId, int run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var job = await client.GetInstanceAsync(jobId, getInputsAndOutputs: true, cancellationToken).ConfigureAwait(false);
        return job is { RuntimeStatus: OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Suspended }
            && job.ReadInputAs<IngestJobInput>()?.Run == run;
    }
}
