using System.Text.Json;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;
using CoreContext = DurableTask.Core.OrchestrationContext;

namespace BulkDurable.Functions.LocalHost.Durable;

/// <summary>
/// The orchestration context an orchestrator function receives, as the Functions worker's own wrapper
/// behaves: <see cref="GetInput{T}"/> converts the input to whatever type the function asks for, and any
/// use from a thread other than the orchestration's fails loudly (an illegal await would otherwise hang
/// the orchestration). Everything else is the DurableTask.Core shim's context.
/// </summary>
internal sealed class FunctionOrchestrationContext(TaskOrchestrationContext inner, object? input, JsonSerializerOptions json, ILoggerFactory loggerFactory) : TaskOrchestrationContext
{
    /// <summary>Whether the function used the context (before its first await of a non-Durable task, it must have).</summary>
    public bool IsAccessed { get; private set; }

    /// <inheritdoc/>
    public override TaskName Name => inner.Name;

    /// <inheritdoc/>
    public override string InstanceId => inner.InstanceId;

    /// <inheritdoc/>
    public override ParentOrchestrationInstance? Parent => inner.Parent;

    /// <inheritdoc/>
    public override DateTime CurrentUtcDateTime => inner.CurrentUtcDateTime;

    /// <inheritdoc/>
    public override bool IsReplaying => inner.IsReplaying;

    /// <inheritdoc/>
    public override TaskOrchestrationEntityFeature Entities
    {
        get
        {
            EnsureLegalAccess();
            return inner.Entities;
        }
    }

    /// <inheritdoc/>
    protected override ILoggerFactory LoggerFactory => loggerFactory;

    /// <inheritdoc/>
    public override T GetInput<T>()
    {
        EnsureLegalAccess();
        return input switch
        {
            T typed => typed,
            null => default!,
            JsonElement element => element.Deserialize<T>(json)!,
            _ => JsonSerializer.SerializeToElement(input, json).Deserialize<T>(json)!,
        };
    }

    /// <inheritdoc/>
    public override Task<TResult> CallActivityAsync<TResult>(TaskName name, object? input = null, TaskOptions? options = null)
    {
        EnsureLegalAccess();
        return inner.CallActivityAsync<TResult>(name, input, options);
    }

    /// <inheritdoc/>
    public override Task<TResult> CallSubOrchestratorAsync<TResult>(TaskName orchestratorName, object? input = null, TaskOptions? options = null)
    {
        EnsureLegalAccess();
        return inner.CallSubOrchestratorAsync<TResult>(orchestratorName, input, options);
    }

    /// <inheritdoc/>
    public override Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken)
    {
        EnsureLegalAccess();
        return inner.CreateTimer(fireAt, cancellationToken);
    }

    /// <inheritdoc/>
    public override Task<T> WaitForExternalEvent<T>(string eventName, CancellationToken cancellationToken = default)
    {
        EnsureLegalAccess();
        return inner.WaitForExternalEvent<T>(eventName, cancellationToken);
    }

    /// <inheritdoc/>
    public override void SendEvent(string instanceId, string eventName, object payload)
    {
        EnsureLegalAccess();
        inner.SendEvent(instanceId, eventName, payload);
    }

    /// <inheritdoc/>
    public override void SetCustomStatus(object? customStatus)
    {
        EnsureLegalAccess();
        inner.SetCustomStatus(customStatus);
    }

    /// <inheritdoc/>
    public override void ContinueAsNew(object? newInput = null, bool preserveUnprocessedEvents = true)
    {
        EnsureLegalAccess();
        inner.ContinueAsNew(newInput, preserveUnprocessedEvents);
    }

    /// <inheritdoc/>
    public override Guid NewGuid()
    {
        EnsureLegalAccess();
        return inner.NewGuid();
    }

    /// <summary>Fails when called off the orchestration's thread.</summary>
    /// <exception cref="InvalidOperationException">The orchestrator awaited a task that is not a Durable one.</exception>
    public void ThrowIfIllegalAccess()
    {
        if (!CoreContext.IsOrchestratorThread)
        {
            throw new InvalidOperationException($"Orchestration {InstanceId} ({Name}) continued off its thread: orchestrator code awaited a task that is not a Durable one (I/O, Task.Delay, ConfigureAwait(false)).");
        }
    }

    private void EnsureLegalAccess()
    {
        ThrowIfIllegalAccess();
        IsAccessed = true;
    }
}
