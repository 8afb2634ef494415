using BulkDurable.Functions.LocalHost.Catalog;
using BulkDurable.Functions.LocalHost.Invocation;
using Microsoft.DurableTask;

namespace BulkDurable.Functions.LocalHost.Durable;

/// <summary>
/// An activity function of the app as an <see cref="ITaskActivity"/>: each call runs in a service scope
/// of its own, on a new instance of the function's class, with the input bound to the trigger parameter
/// and a <see cref="CancellationToken"/> that is cancelled when the host shuts down (as the Functions
/// worker's is).
/// </summary>
internal sealed class FunctionActivity : ITaskActivity
{
    private readonly AppFunction _function;
    private readonly FunctionInvoker _invoker;
    private readonly IServiceScopeFactory _scopes;
    private readonly CancellationToken _stopping;

    public FunctionActivity(AppFunction function, IServiceScopeFactory scopes, CancellationToken stopping)
    {
        _function = function;
        _scopes = scopes;
        _stopping = stopping;
        _invoker = new FunctionInvoker(function.Method);
        _invoker.RequireBindable(p => p == function.TriggerParameter);
    }

    /// <inheritdoc/>
    public Type InputType => _function.TriggerParameter.ParameterType;

    /// <inheritdoc/>
    public Type OutputType => _invoker.ResultType == typeof(void) ? typeof(object) : _invoker.ResultType;

    /// <inheritdoc/>
    public async Task<object?> RunAsync(TaskActivityContext context, object? input)
    {
        var scope = _scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            return await _invoker.InvokeAsync(scope.ServiceProvider, _ => input, _stopping).ConfigureAwait(false);
        }
    }
}
