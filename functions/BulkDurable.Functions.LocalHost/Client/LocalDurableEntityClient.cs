using System.Diagnostics;
using BulkDurable.Functions.LocalHost.Durable;
using DurableTask.Core;
using DurableTask.Core.Entities;
using DurableTask.Core.Tracing;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Client.Entities;
using Microsoft.DurableTask.Entities;

namespace BulkDurable.Functions.LocalHost.Client;

/// <summary>The entity side of <see cref="LocalDurableTaskClient"/>: signals and queries over the task hub's entity backend.</summary>
internal sealed class LocalDurableEntityClient(TaskHub hub, DataConverter converter) : DurableEntityClient("local")
{
    // The longest delay a scheduled signal may have in one hop (the backend's default); later ones are re-sent.
    private static readonly TimeSpan MaxSignalDelay = TimeSpan.FromDays(3);

    private EntityBackendQueries Queries => ((IEntityOrchestrationService)hub.Service).EntityBackendQueries
        ?? throw new NotSupportedException("The task hub's backend does not support entity queries.");

    /// <inheritdoc/>
    public override async Task SignalEntityAsync(EntityInstanceId id, string operationName, object? input = null, SignalEntityOptions? options = null, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(operationName);
        cancellation.ThrowIfCancellationRequested();
        var now = DateTime.UtcNow;
        var signal = ClientEntityHelpers.EmitOperationSignal(
            new OrchestrationInstance { InstanceId = id.ToString() },
            Guid.NewGuid(),
            operationName,
            converter.Serialize(input),
            EntityMessageEvent.GetCappedScheduledTime(now, MaxSignalDelay, options?.SignalTime?.UtcDateTime),
            Activity.Current is { Id: { } traceId } activity ? new DistributedTraceContext(traceId, activity.TraceStateString) : null,
            requestTime: now,
            createTrace: true);
        await hub.Service.SendTaskOrchestrationMessageAsync(signal.AsTaskMessage()).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override async Task<EntityMetadata?> GetEntityAsync(EntityInstanceId id, bool includeState = true, CancellationToken cancellation = default) =>
        await Queries.GetEntityAsync(id.ToCore(), includeState, includeStateless: false, cancellation).ConfigureAwait(false) is { } found ? ToMetadata(found) : null;

    /// <inheritdoc/>
    public override async Task<EntityMetadata<T>?> GetEntityAsync<T>(EntityInstanceId id, bool includeState = true, CancellationToken cancellation = default) =>
        await Queries.GetEntityAsync(id.ToCore(), includeState, includeStateless: false, cancellation).ConfigureAwait(false) is { } found ? ToMetadata<T>(found) : null;

    /// <inheritdoc/>
    public override AsyncPageable<EntityMetadata> GetAllEntitiesAsync(EntityQuery? filter = null) => Query(filter, ToMetadata);

    /// <inheritdoc/>
    public override AsyncPageable<EntityMetadata<T>> GetAllEntitiesAsync<T>(EntityQuery? filter = null) => Query(filter, ToMetadata<T>);

    /// <inheritdoc/>
    public override async Task<CleanEntityStorageResult> CleanEntityStorageAsync(CleanEntityStorageRequest? request = null, bool continueUntilComplete = true, CancellationToken cancellation = default)
    {
        var clean = request ?? CleanEntityStorageRequest.Default;
        int removed = 0, released = 0;
        var continuation = clean.ContinuationToken;
        do
        {
            var result = await Queries.CleanEntityStorageAsync(
                new EntityBackendQueries.CleanEntityStorageRequest { RemoveEmptyEntities = clean.RemoveEmptyEntities, ReleaseOrphanedLocks = clean.ReleaseOrphanedLocks, ContinuationToken = continuation },
                cancellation).ConfigureAwait(false);
            removed += result.EmptyEntitiesRemoved;
            released += result.OrphanedLocksReleased;
            continuation = result.ContinuationToken;
        }
        while (continueUntilComplete && continuation is not null);

        return new CleanEntityStorageResult { EmptyEntitiesRemoved = removed, OrphanedLocksReleased = released, ContinuationToken = continuation };
    }

    private AsyncPageable<TMetadata> Query<TMetadata>(EntityQuery? filter, Func<EntityBackendQueries.EntityMetadata, TMetadata> select)
        where TMetadata : notnull =>
        Pageable.Create(async (continuation, pageSize, cancellation) =>
        {
            var result = await Queries.QueryEntitiesAsync(
                new EntityBackendQueries.EntityQuery
                {
                    InstanceIdStartsWith = filter?.InstanceIdStartsWith ?? string.Empty,
                    LastModifiedFrom = filter?.LastModifiedFrom?.UtcDateTime,
                    LastModifiedTo = filter?.LastModifiedTo?.UtcDateTime,
                    IncludeState = filter?.IncludeState ?? true,
                    IncludeTransient = filter?.IncludeTransient ?? false,
                    PageSize = pageSize ?? filter?.PageSize,
                    ContinuationToken = continuation ?? filter?.ContinuationToken,
                },
                cancellation).ConfigureAwait(false);
            return new Page<TMetadata>([.. result.Results.Select(select)], result.ContinuationToken);
        });

    private EntityMetadata ToMetadata(EntityBackendQueries.EntityMetadata metadata) =>
        new(metadata.EntityId.FromCore(), metadata.SerializedState is null ? null : new SerializedData(metadata.SerializedState, converter))
        {
            LastModifiedTime = metadata.LastModifiedTime,
            BacklogQueueSize = metadata.BacklogQueueSize,
            LockedBy = metadata.LockedBy,
        };

    private EntityMetadata<T> ToMetadata<T>(EntityBackendQueries.EntityMetadata metadata) =>
        new(metadata.EntityId.FromCore(), converter.Deserialize<T>(metadata.SerializedState))
        {
            LastModifiedTime = metadata.LastModifiedTime,
            BacklogQueueSize = metadata.BacklogQueueSize,
            LockedBy = metadata.LockedBy,
        };
}
