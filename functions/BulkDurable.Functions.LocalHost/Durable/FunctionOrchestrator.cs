using System.Reflection;
using System.Text.Json;
using BulkDurable.Functions.LocalHost.Catalog;
using BulkDurable.Functions.LocalHost.Invocation;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace BulkDurable.Functions.LocalHost.Durable;

/// <summary>
/// An orchestrator function of the app as an <see cref="ITaskOrchestrator"/>: the function method is
/// invoked with the orchestration context (wrapped in <see cref="FunctionOrchestrationContext"/>) and,
/// when it declares one, the input bound as a parameter, as the Functions worker binds them. The input
/// type is the parameter's, or <see cref="JsonElement"/> for a function that reads it with
/// <c>GetInput&lt;T&gt;()</c>, so any shape deserializes and is converted on demand.
/// </summary>
internal sealed class FunctionOrchestrator : ITaskOrchestrator
{
    private readonly AppFunction _function;
    private readonly FunctionInvoker _invoker;
    private readonly ParameterInfo? _input;
    private readonly IServiceProvider _services;
    private readonly JsonSerializerOptions _json;
    private readonly ILoggerFactory _loggerFactory;

    public FunctionOrchestrator(AppFunction function, IServiceProvider services, JsonSerializerOptions json, ILoggerFactory loggerFactory)
    {
        _function = function;
        _services = services;
        _json = json;
        _loggerFactory = loggerFactory;
        _invoker = new FunctionInvoker(function.Method);

        // The Functions worker's rule: the input is the first parameter with no binding that is not a
        // FunctionContext or a CancellationToken.
        _input = _invoker.Parameters.FirstOrDefault(p => p != function.TriggerParameter
            && p.ParameterType != typeof(CancellationToken) && p.ParameterType != typeof(FunctionContext) && !FunctionInvoker.IsDurableClient(p));
        _invoker.RequireBindable(p => p == function.TriggerParameter || p == _input);
        if (function.TriggerParameter.ParameterType != typeof(TaskOrchestrationContext))
        {
            throw new InvalidOperationException($"Orchestrator {function.Name}: the trigger parameter must be a TaskOrchestrationContext.");
        }
    }

    /// <inheritdoc/>
    public Type InputType => _input?.ParameterType ?? typeof(JsonElement);

    /// <inheritdoc/>
    public Type OutputType => _invoker.ResultType == typeof(void) ? typeof(object) : _invoker.ResultType;

    /// <inheritdoc/>
    public async Task<object?> RunAsync(TaskOrchestrationContext context, object? input)
    {
        var wrapped = new FunctionOrchestrationContext(context, input, _json, _loggerFactory);

        // No service scope: an episode that ends awaiting never completes this call, so a scope could
        // never be disposed; orchestrator code must not depend on scoped services anyway.
        var run = _invoker.InvokeAsync(_services, p => p == _function.TriggerParameter ? wrapped : input, CancellationToken.None, onCapturedContext: true);
        if (!run.IsCompleted && !wrapped.IsAccessed)
        {
            // Awaiting anything but the context before its first use means leaving the orchestration's scheduler.
            throw new InvalidOperationException($"Orchestrator {_function.Name} awaited a task that is not a Durable one before using its context; orchestrator code must await only context tasks.");
        }

        // Resumes on the orchestration's scheduler, where replay runs (ConfigureAwait(false) would leave it).
#pragma warning disable CA2007
        var result = await run;
#pragma warning restore CA2007
        wrapped.ThrowIfIllegalAccess();
        return result;
    }
}
