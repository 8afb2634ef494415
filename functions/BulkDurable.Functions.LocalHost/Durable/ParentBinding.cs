using DurableTask.Core;
using DurableTask.Core.Middleware;

namespace BulkDurable.Functions.LocalHost.Durable;

/// <summary>The orchestration dispatcher middleware that gives each <see cref="ParentBoundOrchestration"/> its parent.</summary>
internal static class ParentBinding
{
    /// <summary>Binds the parent of the orchestration about to run, then runs it.</summary>
    public static Task InvokeAsync(DispatchMiddlewareContext context, Func<Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (context.GetProperty<TaskOrchestration>() is ParentBoundOrchestration orchestration)
        {
            orchestration.Bind(context.GetProperty<OrchestrationRuntimeState>()?.ParentInstance);
        }

        return next();
    }
}
