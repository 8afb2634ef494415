using BulkDurable.Functions.LocalHost.Catalog;
using BulkDurable.Functions.LocalHost.Invocation;
using Microsoft.Azure.Functions.Worker;

namespace BulkDurable.Functions.LocalHost.Timers;

/// <summary>
/// Runs the app's timer functions on their schedules (UTC), and on request
/// (<c>POST /admin/functions/{name}</c>, as the Functions host's admin API does). A function never
/// runs twice at once, as under the host's singleton lock; a run that fails is logged and the schedule
/// goes on. The <see cref="TimerInfo"/> argument carries the last and next occurrences; schedule
/// monitoring across restarts (<c>useMonitor</c>) is not kept, so <see cref="TimerInfo.IsPastDue"/> is
/// always false here.
/// </summary>
internal sealed partial class TimerFunctions : BackgroundService
{
    private readonly Dictionary<string, TimerFunction> _functions;
    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _time;
    private readonly ILogger<TimerFunctions> _logger;
    private readonly List<Task> _requested = [];
    private CancellationToken _stopping;

    public TimerFunctions(FunctionCatalog catalog, IServiceScopeFactory scopes, TimeProvider time, ILogger<TimerFunctions> logger)
    {
        _scopes = scopes;
        _time = time;
        _logger = logger;
        _functions = catalog.Of(TriggerKind.Timer).ToDictionary(f => f.Name, f => new TimerFunction(f), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Starts a run of the timer function <paramref name="name"/> now; false when there is no such timer function.</summary>
    public bool TryRunNow(string name)
    {
        if (!_functions.TryGetValue(name, out var function) || _stopping.IsCancellationRequested)
        {
            return false;
        }

        lock (_requested)
        {
            _requested.RemoveAll(t => t.IsCompleted);
            _requested.Add(Task.Run(() => RunAsync(function, last: null, _stopping)));
        }

        return true;
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        try
        {
            await Task.WhenAll(_functions.Values.Select(f => RunScheduleAsync(f, stoppingToken))).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        Task[] requested;
        lock (_requested)
        {
            requested = [.. _requested];
        }

        await Task.WhenAll(requested).ConfigureAwait(false);
    }

    private async Task RunScheduleAsync(TimerFunction function, CancellationToken stoppingToken)
    {
        var schedule = function.Function.Timer!;
        DateTimeOffset? last = null;
        if (schedule.RunOnStartup)
        {
            await RunAsync(function, last, stoppingToken).ConfigureAwait(false);
        }

        while (schedule.NextAfter(_time.GetUtcNow()) is { } next)
        {
            var wait = next - _time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, _time, stoppingToken).ConfigureAwait(false);
            }

            await RunAsync(function, last, stoppingToken).ConfigureAwait(false);
            last = next;
        }
    }

    private async Task RunAsync(TimerFunction function, DateTimeOffset? last, CancellationToken stoppingToken)
    {
        try
        {
            await function.Gate.WaitAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }

        try
        {
            var now = _time.GetUtcNow();
            var timer = new TimerInfo
            {
                IsPastDue = false,
                ScheduleStatus = new ScheduleStatus
                {
                    Last = (last ?? now).UtcDateTime,
                    Next = (function.Function.Timer!.NextAfter(now) ?? now).UtcDateTime,
                    LastUpdated = now.UtcDateTime,
                },
            };
            var scope = _scopes.CreateAsyncScope();
            await using (scope.ConfigureAwait(false))
            {
                LogRunning(_logger, function.Function.Name);
                await function.Invoker.InvokeAsync(scope.ServiceProvider, p => p == function.Function.TriggerParameter ? timer : null, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            LogFailed(_logger, ex, function.Function.Name);
        }
        finally
        {
            function.Gate.Release();
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Timer function {Function} running")]
    private static partial void LogRunning(ILogger logger, string function);

    [LoggerMessage(2, LogLevel.Error, "Timer function {Function} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string function);

    private sealed class TimerFunction
    {
        public TimerFunction(AppFunction function)
        {
            Function = function;
            Invoker = new FunctionInvoker(function.Method);
            Invoker.RequireBindable(p => p == function.TriggerParameter);
            if (function.TriggerParameter.ParameterType != typeof(TimerInfo))
            {
                throw new InvalidOperationException($"Timer function {function.Name}: the local host binds the trigger as {typeof(TimerInfo).FullName}.");
            }
        }

        public AppFunction Function { get; }

        public FunctionInvoker Invoker { get; }

        public SemaphoreSlim Gate { get; } = new(1, 1);
    }
}
