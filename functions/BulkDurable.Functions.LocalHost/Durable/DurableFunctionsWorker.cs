using System.Text.Json;
using BulkDurable.Functions.LocalHost.Catalog;
using DurableTask.Core;
using DurableTask.Core.Entities;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.Options;

namespace BulkDurable.Functions.LocalHost.Durable;

/// <summary>
/// Runs the app's orchestrations, activities and entities on a DurableTask.Core
/// <see cref="TaskHubWorker"/> over the task hub, with failure details propagated as the Functions host
/// propagates them to isolated workers (<see cref="ErrorPropagationMode.UseFailureDetails"/>).
/// </summary>
internal sealed partial class DurableFunctionsWorker(
    TaskHub hub,
    FunctionCatalog catalog,
    IServiceProvider services,
    IOptions<JsonSerializerOptions> json,
    DataConverter converter,
    LocalHostState state,
    OrchestrationEpisodeStats stats,
    IHostApplicationLifetime lifetime,
    ILoggerFactory loggerFactory) : IHostedService, IAsyncDisposable
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<DurableFunctionsWorker>();
    private TaskHubWorker? _worker;

    /// <inheritdoc/>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var shims = new DurableTaskShimFactory(new DurableTaskWorkerOptions { DataConverter = converter, EnableEntitySupport = true }, loggerFactory);
        var scopes = services.GetRequiredService<IServiceScopeFactory>();
        var orchestrations = catalog.Of(TriggerKind.Orchestration).ToDictionary(
            f => f.Name,
            f =>
            {
                var orchestrator = new FunctionOrchestrator(f, services, json.Value, loggerFactory);
                return (Func<TaskOrchestration>)(() => new ParentBoundOrchestration(new TaskName(f.Name), orchestrator, shims));
            });
        var activities = catalog.Of(TriggerKind.Activity).ToDictionary(
            f => f.Name,
            f =>
            {
                var activity = shims.CreateActivity(new TaskName(f.Name), new FunctionActivity(f, scopes, lifetime.ApplicationStopping));
                return (Func<TaskActivity>)(() => activity);
            });
        var entities = catalog.Of(TriggerKind.Entity).ToDictionary(f => f.Name, f => FunctionEntity.Create(f, scopes, shims));

        await hub.Service.CreateIfNotExistsAsync().ConfigureAwait(false);
        _worker = new TaskHubWorker(
            hub.Service,
            new FunctionObjectManager<TaskOrchestration>(orchestrations),
            new FunctionObjectManager<TaskActivity>(activities),
            new FunctionObjectManager<TaskEntity>(entities),
            loggerFactory)
        {
            ErrorPropagationMode = ErrorPropagationMode.UseFailureDetails,
        };
        _worker.AddOrchestrationDispatcherMiddleware(stats.MeasureAsync);
        _worker.AddOrchestrationDispatcherMiddleware(ParentBinding.InvokeAsync);
        await _worker.StartAsync().ConfigureAwait(false);
        state.MarkRunning();
        LogStarted(_logger, hub.Settings.ToString(), orchestrations.Count, activities.Count, entities.Count);
    }

    /// <inheritdoc/>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        state.MarkStopping();
        if (_worker is not null)
        {
            // Not forced: work items in flight get the shutdown token and end (a cut-short chunk load is
            // retried by its orchestration), then the dispatchers stop.
            await _worker.StopAsync(isForced: false).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        _worker?.Dispose();
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(1, LogLevel.Information, "Durable task hub running ({Hub}): {Orchestrations} orchestrations, {Activities} activities, {Entities} entities")]
    private static partial void LogStarted(ILogger logger, string hub, int orchestrations, int activities, int entities);
}
