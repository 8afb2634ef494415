using BulkDurable.Functions.Diagnostics;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Client.Entities;
using Microsoft.DurableTask.Entities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BulkDurable.Functions.Retention;

/// <summary>
/// Removes from the task hub what jobs leave behind once <see cref="RetentionOptions.JobHistory"/> has
/// passed, with the client's own purge APIs:
/// <list type="bullet">
/// <item>the history of finished orchestrations (Completed, Failed, Terminated) created before the
/// cutoff: jobs and their segments; a suspended or running job is never touched;</item>
/// <item>the state of <c>JobProgress</c> entities last changed before the cutoff whose job is gone
/// or finished, and of <c>SubmissionRate</c> entities idle since then (the entity's implicit
/// <c>delete</c> operation);</item>
/// <item>entities an earlier run left empty, and locks of orchestrations that no longer exist.</item>
/// </list>
/// <c>IdempotencyKey</c> entities are kept: each holds only its key's generation and window, and the
/// generation is what keeps a key reused after its window from mapping to an old job id (and to the
/// old job's ledger rows). The job's own status stays readable from its blobs until they age out.
/// </summary>
public sealed class JobHistoryPurge(IOptions<RetentionOptions> options, TimeProvider timeProvider, ILogger<JobHistoryPurge> logger)
{
    private static readonly OrchestrationRuntimeStatus[] FinishedStatuses =
        [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated];

    /// <summary>Runs one purge.</summary>
    public async Task<JobHistoryPurgeReport> RunAsync(DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var cutoff = timeProvider.GetUtcNow() - options.Value.JobHistory;
        var purged = await client.PurgeAllInstancesAsync(new PurgeInstancesFilter(CreatedTo: cutoff, Statuses: FinishedStatuses), cancellation: cancellationToken).ConfigureAwait(false);

        var deleted = 0;
        await foreach (var entity in IdleEntitiesAsync(client.Entities, FunctionNames.JobProgressEntity, cutoff).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            // A job suspended past the window keeps its progress: its custom status is still fed from it.
            var job = await client.GetInstanceAsync(entity.Key, getInputsAndOutputs: false, cancellationToken).ConfigureAwait(false);
            if (job is null || job.IsCompleted)
            {
                await client.Entities.SignalEntityAsync(entity, "delete", cancellation: cancellationToken).ConfigureAwait(false);
                deleted++;
            }
        }

        await foreach (var entity in IdleEntitiesAsync(client.Entities, FunctionNames.SubmissionRateEntity, cutoff).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            await client.Entities.SignalEntityAsync(entity, "delete", cancellation: cancellationToken).ConfigureAwait(false);
            deleted++;
        }

        var cleaned = await client.Entities.CleanEntityStorageAsync(
            new CleanEntityStorageRequest { RemoveEmptyEntities = true, ReleaseOrphanedLocks = true },
            continueUntilComplete: true,
            cancellationToken).ConfigureAwait(false);
        var report = new JobHistoryPurgeReport(cutoff, purged.PurgedInstanceCount, deleted, cleaned.EmptyEntitiesRemoved, cleaned.OrphanedLocksReleased);
        Log.HistoryPurged(logger, report.Cutoff, report.InstancesPurged, report.EntitiesDeleted, report.EmptyEntitiesRemoved, report.OrphanedLocksReleased);
        return report;
    }

    private static async IAsyncEnumerable<EntityInstanceId> IdleEntitiesAsync(DurableEntityClient entities, string name, DateTimeOffset cutoff)
    {
        var query = new EntityQuery { InstanceIdStartsWith = name + "@", LastModifiedTo = cutoff, IncludeState = false };
        await foreach (var entity in entities.GetAllEntitiesAsync(query).ConfigureAwait(false))
        {
            yield return entity.Id;
        }
    }
}
