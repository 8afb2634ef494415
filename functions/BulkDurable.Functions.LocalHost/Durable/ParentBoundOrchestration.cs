using DurableTask.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Worker.Shims;

namespace BulkDurable.Functions.LocalHost.Durable;

/// <summary>
/// A DurableTask.Core orchestration whose shim is created once its parent is known. The object manager
/// is asked for an orchestration by name only, but <c>TaskOrchestrationContext.Parent</c> of a
/// sub-orchestration comes from its <c>ExecutionStarted</c> event: <see cref="ParentBinding"/>, a
/// dispatcher middleware that sees the runtime state, binds it before the first episode runs.
/// </summary>
internal sealed class ParentBoundOrchestration(TaskName name, ITaskOrchestrator orchestrator, DurableTaskShimFactory shims) : TaskOrchestration
{
    private TaskOrchestration? _shim;

    /// <summary>Creates the shim with the orchestration's parent (none for a top-level one). Later calls keep the first.</summary>
    public void Bind(ParentInstance? parent) =>
        _shim ??= shims.CreateOrchestration(
            name,
            orchestrator,
            parent is { OrchestrationInstance.InstanceId: { } parentId } ? new ParentOrchestrationInstance(new TaskName(parent.Name), parentId) : null);

    /// <inheritdoc/>
    public override Task<string> Execute(OrchestrationContext context, string input) => Shim.Execute(context, input);

    /// <inheritdoc/>
    public override void RaiseEvent(OrchestrationContext context, string name, string input) => Shim.RaiseEvent(context, name, input);

    /// <inheritdoc/>
    public override string GetStatus() => Shim.GetStatus();

    private TaskOrchestration Shim => _shim ?? throw new InvalidOperationException($"Orchestration {name} ran before its parent was bound: the ParentBinding middleware is not registered.");
}
