using BulkDurable.Functions.LocalHost.Catalog;
using DurableTask.Core.Entities;
using DurableTask.Core.Entities.OperationFormat;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;
using Microsoft.DurableTask.Worker.Shims;

namespace BulkDurable.Functions.LocalHost.Durable;

/// <summary>
/// An entity function of the app as a DurableTask.Core entity. The Functions worker hands the
/// function a <c>TaskEntityDispatcher</c> built from the host's gRPC request, which nothing outside the
/// worker can build; the app's entity functions are declared on their entity class and do nothing but
/// <c>dispatcher.DispatchAsync&lt;ThatClass&gt;()</c>, so the local host dispatches each batch to that
/// class the same way: activated from a service scope of the batch (constructor injection), run by the
/// durabletask-dotnet entity shim. <see cref="Create"/> refuses an entity function declared elsewhere.
/// </summary>
internal sealed class FunctionEntity(AppFunction function, Type entityType, IServiceScopeFactory scopes, DurableTaskShimFactory shims) : TaskEntity
{
    /// <summary>The entity for a function, or a start-up failure naming why it cannot be served.</summary>
    public static Func<TaskEntity> Create(AppFunction function, IServiceScopeFactory scopes, DurableTaskShimFactory shims)
    {
        ArgumentNullException.ThrowIfNull(function);
        var entityType = function.Method.DeclaringType!;
        if (!typeof(ITaskEntity).IsAssignableFrom(entityType) || function.TriggerParameter.ParameterType.Name != "TaskEntityDispatcher")
        {
            throw new InvalidOperationException($"Entity {function.Name}: the local host serves entity functions declared on their ITaskEntity class with a TaskEntityDispatcher trigger ({entityType.Name} is not an ITaskEntity).");
        }

        return () => new FunctionEntity(function, entityType, scopes, shims);
    }

    /// <inheritdoc/>
    public override async Task<EntityBatchResult> ExecuteOperationBatchAsync(EntityBatchRequest operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        var scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var entity = (ITaskEntity)ActivatorUtilities.GetServiceOrCreateInstance(scope.ServiceProvider, entityType);
            var shim = shims.CreateEntity(new TaskName(function.Name), entity, EntityId.FromString(operations.InstanceId!));
            return await shim.ExecuteOperationBatchAsync(operations).ConfigureAwait(false);
        }
    }
}
