using BulkDurable.Ingestion.Api;
using Microsoft.DurableTask.Entities;

namespace BulkDurable.Functions.Entities;

/// <summary>The ids of the app's entities.</summary>
public static class EntityIds
{
    /// <summary>The entity of a client's idempotency key, scoped to its dataset and its caller (<see cref="IdempotencyKeys.Scope"/>).</summary>
    public static EntityInstanceId IdempotencyKey(string dataset, string? caller, string key) =>
        new(FunctionNames.IdempotencyKeyEntity, IdempotencyKeys.EntityKey(dataset, IdempotencyKeys.Scope(caller, key)));

    /// <summary>The progress entity of a job.</summary>
    public static EntityInstanceId JobProgress(string jobId) => new(FunctionNames.JobProgressEntity, jobId);
}
