using System.Text.Json;
using BulkDurable.Functions.Diagnostics;
using BulkDurable.Functions.Orchestration;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BulkDurable.Functions.Http;

/// <summary>
/// A job's orchestrations as one thing for the job commands. Suspending an orchestration does not
/// suspend its sub-orchestrations (nor does resuming resume them): the job's running segment is
/// suspended and resumed with it, so that no chunk load starts while the job is suspended. The
/// running segment is the one the job's custom status names once the job itself is suspended (it
/// runs one segment at a time and starts none while suspended).
/// </summary>
public sealed class JobOrchestrations(IOptions<JsonSerializerOptions> json, TimeProvider timeProvider, ILogger<JobOrchestrations> logger)
{
    /// <summary>How long a suspend waits for the job to stop before it suspends the segment the job names anyway.</summary>
    private static readonly TimeSpan SuspendWait = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    /// <summary>Suspends the job, then its running segment.</summary>
    public async Task SuspendAsync(DurableTaskClient client, string jobId, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        await client.SuspendInstanceAsync(jobId, reason, cancellationToken).ConfigureAwait(false);
        var job = await WaitForAsync(client, jobId, OrchestrationRuntimeStatus.Suspended, SuspendWait, cancellationToken).ConfigureAwait(false);
        if (ActiveSegment(job) is { } segment)
        {
            await ForSegmentAsync(jobId, segment, "suspend", () => client.SuspendInstanceAsync(segment, reason, cancellationToken), client, OrchestrationRuntimeStatus.Running, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Resumes the job's suspended segment, then the job.</summary>
    public async Task ResumeAsync(DurableTaskClient client, string jobId, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        await ResumeSegmentAsync(client, jobId, reason, cancellationToken).ConfigureAwait(false);
        await client.ResumeInstanceAsync(jobId, reason, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Raises the cancellation on the job; a suspended job (and its segment) is resumed so that it sees it.</summary>
    public async Task CancelAsync(DurableTaskClient client, string jobId, bool suspended, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        await client.RaiseEventAsync(jobId, OrchestrationEvents.Cancel, reason, cancellationToken).ConfigureAwait(false);
        if (suspended)
        {
            await ResumeAsync(client, jobId, reason, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Whether a segment of an earlier run of the job is still live (a terminated job's segments end within a chunk's time).</summary>
    public static async Task<bool> HasLiveSegmentsAsync(DurableTaskClient client, string jobId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var query = new OrchestrationQuery
        {
            InstanceIdPrefix = IngestJobOrchestrator.SegmentInstancePrefix(jobId),
            Statuses = [OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Suspended],
            PageSize = 1,
        };
        await foreach (var page in client.GetAllInstancesAsync(query).AsPages(pageSizeHint: 1).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            return page.Values.Count > 0;
        }

        return false;
    }

    private async Task ResumeSegmentAsync(DurableTaskClient client, string jobId, string reason, CancellationToken cancellationToken)
    {
        var job = await client.GetInstanceAsync(jobId, getInputsAndOutputs: true, cancellationToken).ConfigureAwait(false);
        if (ActiveSegment(job) is { } segment)
        {
            await ForSegmentAsync(jobId, segment, "resume", () => client.ResumeInstanceAsync(segment, reason, cancellationToken), client, OrchestrationRuntimeStatus.Suspended, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Sends a command to the segment when it is in <paramref name="requiredStatus"/>; a segment that
    /// has just finished (or not started) needs none, so a refusal there is logged, not surfaced.
    /// </summary>
    private async Task ForSegmentAsync(string jobId, string segment, string command, Func<Task> send, DurableTaskClient client, OrchestrationRuntimeStatus requiredStatus, CancellationToken cancellationToken)
    {
        var instance = await client.GetInstanceAsync(segment, getInputsAndOutputs: false, cancellationToken).ConfigureAwait(false);
        if (instance?.RuntimeStatus != requiredStatus && !(requiredStatus == OrchestrationRuntimeStatus.Running && instance?.RuntimeStatus == OrchestrationRuntimeStatus.Pending))
        {
            return;
        }

        try
        {
            await send().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.SegmentCommandFailed(logger, ex, jobId, command, segment);
        }
    }

    private string? ActiveSegment(OrchestrationMetadata? job)
    {
        if (job?.SerializedCustomStatus is not { Length: > 0 } text)
        {
            return null;
        }

        return JsonSerializer.Deserialize<JobOrchestrationStatus>(text, json.Value)?.ActiveSegment;
    }

    private async Task<OrchestrationMetadata?> WaitForAsync(DurableTaskClient client, string instanceId, OrchestrationRuntimeStatus status, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = timeProvider.GetTimestamp();
        while (true)
        {
            var instance = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, cancellationToken).ConfigureAwait(false);
            if (instance is null || instance.RuntimeStatus == status || instance.IsCompleted || timeProvider.GetElapsedTime(deadline) > timeout)
            {
                return instance;
            }

            await Task.Delay(Poll, timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }
}
