using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace BulkDurable.Functions.LocalHost.Invocation;

/// <summary>
/// Invokes a function method the way the Functions worker does: an instance method runs on a new
/// instance of its class created from the invocation's service scope (constructor injection), a static
/// one directly; the awaited result is returned. Exceptions surface unwrapped.
/// </summary>
public sealed class FunctionInvoker
{
    private readonly MethodInfo _method;
    private readonly PropertyInfo? _result;

    /// <summary>Prepares the invocation of <paramref name="method"/>.</summary>
    public FunctionInvoker(MethodInfo method)
    {
        ArgumentNullException.ThrowIfNull(method);
        _method = method;
        Parameters = method.GetParameters();
        var returnType = method.ReturnType;
        if (returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(ValueTask<>))
        {
            throw new InvalidOperationException($"{method.DeclaringType!.Name}.{method.Name}: ValueTask<T> results are not supported by the local host; return Task<T>.");
        }

        ResultType = returnType == typeof(void) || returnType == typeof(Task) || returnType == typeof(ValueTask) ? typeof(void)
            : returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(Task<>) ? returnType.GetGenericArguments()[0]
            : returnType;
        _result = returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(Task<>) ? returnType.GetProperty(nameof(Task<object>.Result)) : null;
    }

    /// <summary>The method's parameters, in order.</summary>
    public IReadOnlyList<ParameterInfo> Parameters { get; }

    /// <summary>What the method produces once awaited (<see cref="void"/> for none).</summary>
    public Type ResultType { get; }

    /// <summary>Whether a parameter is the Durable client binding.</summary>
    public static bool IsDurableClient(ParameterInfo parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        return parameter.GetCustomAttribute<DurableClientAttribute>() is not null;
    }

    /// <summary>
    /// Fails for a parameter no binding of the local host can fill, so that a function the host cannot
    /// run stops it at start-up instead of failing at its first call.
    /// </summary>
    /// <param name="canBind">Whether the trigger binds a parameter (besides the Durable client and the cancellation token).</param>
    public void RequireBindable(Func<ParameterInfo, bool> canBind)
    {
        ArgumentNullException.ThrowIfNull(canBind);
        foreach (var parameter in Parameters)
        {
            if (parameter.ParameterType == typeof(CancellationToken) || (IsDurableClient(parameter) && parameter.ParameterType == typeof(DurableTaskClient)) || canBind(parameter))
            {
                continue;
            }

            throw new InvalidOperationException($"{_method.DeclaringType!.Name}.{_method.Name}: the local host cannot bind parameter '{parameter.Name}' ({parameter.ParameterType.Name}).");
        }
    }

    /// <summary>Invokes the method with arguments from <paramref name="bind"/> (called for every parameter that is not a token or the Durable client).</summary>
    /// <param name="services">The invocation's service scope.</param>
    /// <param name="bind">The value of a trigger-bound parameter.</param>
    /// <param name="cancellationToken">Passed to a <see cref="CancellationToken"/> parameter.</param>
    /// <param name="onCapturedContext">
    /// Resume on the caller's synchronization context: an orchestrator must, as its replay runs on the
    /// orchestration's own scheduler.
    /// </param>
    /// <returns>The awaited result, or null for none.</returns>
    public async Task<object?> InvokeAsync(IServiceProvider services, Func<ParameterInfo, object?> bind, CancellationToken cancellationToken, bool onCapturedContext = false)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(bind);
        var arguments = new object?[Parameters.Count];
        for (var i = 0; i < arguments.Length; i++)
        {
            var parameter = Parameters[i];
            arguments[i] = parameter.ParameterType == typeof(CancellationToken) ? cancellationToken
                : IsDurableClient(parameter) ? services.GetRequiredService<DurableTaskClient>()
                : bind(parameter);
        }

        var target = _method.IsStatic ? null : ActivatorUtilities.CreateInstance(services, _method.DeclaringType!);
        try
        {
            var returned = _method.Invoke(target, BindingFlags.DoNotWrapExceptions, binder: null, arguments, culture: null);
            switch (returned)
            {
                case Task task:
                    await task.ConfigureAwait(onCapturedContext);
                    return _result?.GetValue(task);
                case ValueTask valueTask:
                    await valueTask.ConfigureAwait(onCapturedContext);
                    return null;
                default:
                    return returned;
            }
        }
        finally
        {
            switch (target)
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync().ConfigureAwait(onCapturedContext);
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }
    }
}
