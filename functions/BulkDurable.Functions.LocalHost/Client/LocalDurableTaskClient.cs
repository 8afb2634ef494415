using System.Diagnostics;
using System.Globalization;
using BulkDurable.Functions.LocalHost.Durable;
using DurableTask.Core;
using DurableTask.Core.Exceptions;
using DurableTask.Core.History;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Client.Entities;
using CoreOrchestrationQuery = DurableTask.Core.Query.OrchestrationQuery;
using CorePurgeFilter = DurableTask.Core.PurgeInstanceFilter;
using CoreState = DurableTask.Core.OrchestrationState;
using CoreStatus = DurableTask.Core.OrchestrationStatus;
using PurgeResult = Microsoft.DurableTask.Client.PurgeResult;

namespace BulkDurable.Functions.LocalHost.Client;

/// <summary>
/// The <see cref="DurableTaskClient"/> the app's functions get from the <c>[DurableClient]</c> binding
/// on the local host: the same operations the Functions host's gRPC client offers, over the task hub's
/// DurableTask.Core client (start with per-request dedupe statuses, status and queries with failure
/// details, events, suspend, resume, terminate, purge, waits) and its entity backend.
/// </summary>
public sealed class LocalDurableTaskClient : DurableTaskClient
{
    private static readonly TimeSpan PollingInterval = TimeSpan.FromMilliseconds(500);
#pragma warning disable CS0618 // ContinuedAsNew is obsolete but still a live state in stored instances.
    private static readonly CoreStatus[] RunningStatuses = [CoreStatus.Running, CoreStatus.ContinuedAsNew, CoreStatus.Pending, CoreStatus.Suspended];
#pragma warning restore CS0618

    private readonly TaskHub _hub;
    private readonly DataConverter _converter;

    /// <summary>Creates the client over <paramref name="hub"/>.</summary>
    public LocalDurableTaskClient(TaskHub hub, DataConverter converter)
        : base("local")
    {
        ArgumentNullException.ThrowIfNull(hub);
        ArgumentNullException.ThrowIfNull(converter);
        _hub = hub;
        _converter = converter;
        Entities = new LocalDurableEntityClient(hub, converter);
    }

    /// <inheritdoc/>
    public override DurableEntityClient Entities { get; }

    private IOrchestrationServicePurgeClient Purge => _hub.Service;

    /// <inheritdoc/>
    public override async Task<string> ScheduleNewOrchestrationInstanceAsync(TaskName orchestratorName, object? input = null, StartOrchestrationOptions? options = null, CancellationToken cancellation = default)
    {
        cancellation.ThrowIfCancellationRequested();
        var instanceId = options?.InstanceId ?? Guid.NewGuid().ToString("N");
        var instance = new OrchestrationInstance { InstanceId = instanceId, ExecutionId = Guid.NewGuid().ToString("N") };
        var tags = options?.Tags?.ToDictionary(t => t.Key, t => t.Value) ?? [];
        tags[OrchestrationTags.CreateTraceForNewOrchestration] = "true";
        tags[OrchestrationTags.RequestTime] = DateTimeOffset.UtcNow.ToString(CultureInfo.InvariantCulture);
        var message = new TaskMessage
        {
            OrchestrationInstance = instance,
            Event = new ExecutionStartedEvent(-1, _converter.Serialize(input))
            {
                Name = orchestratorName.Name,
                Version = options?.Version?.ToString() ?? string.Empty,
                OrchestrationInstance = instance,
                ScheduledStartTime = options?.StartAt?.UtcDateTime,
                ParentTraceContext = Activity.Current is { Id: { } traceId } activity ? new global::DurableTask.Core.Tracing.DistributedTraceContext(traceId, activity.TraceStateString) : null,
                Tags = tags,
            },
        };

        // The Functions host's rule (TaskHubGrpcServer.StartInstance, azure-functions-durable-extension
        // PR #3316): the statuses the request does not let be replaced, united with those host.json's
        // overridableExistingInstanceStates protects.
        IEnumerable<CoreStatus> refused = DedupeStatuses(options) ?? [];
        if (_hub.Settings.OverridableExistingInstanceStates == "NonRunningStates")
        {
            refused = refused.Union(RunningStatuses);
        }

        try
        {
            await _hub.Service.CreateTaskOrchestrationAsync(message, [.. refused.Distinct()]).ConfigureAwait(false);
        }
        catch (OrchestrationAlreadyExistsException)
        {
            throw;
        }
        catch (InvalidOperationException ex) when (ex.Message.Contains("already exists", StringComparison.OrdinalIgnoreCase))
        {
            throw new OrchestrationAlreadyExistsException(ex.Message);
        }

        return instanceId;
    }

    // Commands check the instance's state first and refuse one it does not allow, with the Durable
    // extension's own messages (DurableClient.RaiseEventAsync, SuspendAsync, ResumeAsync, TerminateAsync):
    // through the Functions host the same refusal reaches the worker as an RpcException.

    /// <inheritdoc/>
    public override async Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        ArgumentException.ThrowIfNullOrEmpty(eventName);
        var status = await StatusAsync(instanceId, cancellation).ConfigureAwait(false);
        if (status is null)
        {
            // The extension drops an event for an instance that does not exist.
            return;
        }

        if (!IsRunning(status.Value))
        {
            throw new InvalidOperationException($"Cannot raise event {eventName} for orchestration instance {instanceId} because instance is in {status} state");
        }

        await SendAsync(instanceId, new EventRaisedEvent(-1, _converter.Serialize(eventPayload)) { Name = eventName }, cancellation).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override async Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default)
    {
        var status = await StatusAsync(instanceId, cancellation).ConfigureAwait(false);
#pragma warning disable CS0618 // ContinuedAsNew is obsolete but still a live state in stored instances.
        if (status is not (CoreStatus.Running or CoreStatus.Pending or CoreStatus.ContinuedAsNew))
#pragma warning restore CS0618
        {
            throw new InvalidOperationException($"Cannot suspend the orchestration instance {instanceId} because instance is in the {status?.ToString() ?? "missing"} state.");
        }

        await SendAsync(instanceId, new ExecutionSuspendedEvent(-1, reason), cancellation).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override async Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default)
    {
        var status = await StatusAsync(instanceId, cancellation).ConfigureAwait(false);
        if (status is not CoreStatus.Suspended)
        {
            throw new InvalidOperationException($"Cannot resume the orchestration instance {instanceId} because instance is in the {status?.ToString() ?? "missing"} state.");
        }

        await SendAsync(instanceId, new ExecutionResumedEvent(-1, reason), cancellation).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override async Task TerminateInstanceAsync(string instanceId, TerminateInstanceOptions? options = null, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        var status = await StatusAsync(instanceId, cancellation).ConfigureAwait(false);
        if (status is not { } live || !IsRunning(live))
        {
            throw new InvalidOperationException($"Cannot terminate the orchestration instance {instanceId} because instance is in the {status?.ToString() ?? "missing"} state.");
        }

        await _hub.Service.ForceTerminateTaskOrchestrationAsync(instanceId, _converter.Serialize(options?.Output)).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override async Task<OrchestrationMetadata?> GetInstancesAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        cancellation.ThrowIfCancellationRequested();
        var states = await _hub.Service.GetOrchestrationStateAsync(instanceId, allExecutions: false, fetchInput: getInputsAndOutputs).ConfigureAwait(false);
        return states is { Count: > 0 } ? ToMetadata(states[0], getInputsAndOutputs) : null;
    }

    /// <inheritdoc/>
    public override AsyncPageable<OrchestrationMetadata> GetAllInstancesAsync(Microsoft.DurableTask.Client.OrchestrationQuery? filter = null) =>
        Pageable.Create(async (continuation, pageSize, cancellation) =>
        {
            var query = new CoreOrchestrationQuery
            {
                RuntimeStatus = filter?.Statuses?.Select(s => s.ToCore()).ToList(),
                CreatedTimeFrom = filter?.CreatedFrom?.UtcDateTime,
                CreatedTimeTo = filter?.CreatedTo?.UtcDateTime,
                TaskHubNames = filter?.TaskHubNames?.ToList(),
                PageSize = pageSize ?? filter?.PageSize ?? Microsoft.DurableTask.Client.OrchestrationQuery.DefaultPageSize,
                ContinuationToken = continuation ?? filter?.ContinuationToken,
                InstanceIdPrefix = filter?.InstanceIdPrefix,
                FetchInputsAndOutputs = filter?.FetchInputsAndOutputs ?? false,
            };
            var result = await _hub.Service.GetOrchestrationWithQueryAsync(query, cancellation).ConfigureAwait(false);
            return new Page<OrchestrationMetadata>([.. result.OrchestrationState.Select(s => ToMetadata(s, query.FetchInputsAndOutputs))], result.ContinuationToken);
        });

    /// <inheritdoc/>
    public override async Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
    {
        while (true)
        {
            var instance = await GetInstancesAsync(instanceId, getInputsAndOutputs, cancellation).ConfigureAwait(false);
            if (instance is not null && instance.RuntimeStatus != OrchestrationRuntimeStatus.Pending)
            {
                return instance;
            }

            await Task.Delay(PollingInterval, cancellation).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public override async Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
    {
        while (true)
        {
            var instance = await GetInstancesAsync(instanceId, getInputsAndOutputs, cancellation).ConfigureAwait(false);
            if (instance is { IsCompleted: true })
            {
                return instance;
            }

            await Task.Delay(PollingInterval, cancellation).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public override async Task<PurgeResult> PurgeInstanceAsync(string instanceId, PurgeInstanceOptions? options = null, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        var instance = await GetInstancesAsync(instanceId, getInputsAndOutputs: false, cancellation).ConfigureAwait(false);
        if (instance is null)
        {
            return new PurgeResult(0);
        }

        if (!instance.IsCompleted)
        {
            throw new InvalidOperationException($"Only an orchestration in a terminal state can be purged; {instanceId} is {instance.RuntimeStatus}.");
        }

        var result = await Purge.PurgeInstanceStateAsync(instanceId).ConfigureAwait(false);
        return new PurgeResult(result.DeletedInstanceCount);
    }

    /// <inheritdoc/>
    public override async Task<PurgeResult> PurgeAllInstancesAsync(PurgeInstancesFilter filter, PurgeInstanceOptions? options = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        cancellation.ThrowIfCancellationRequested();
        var statuses = filter.Statuses?.Select(s => s.ToCore());
        var result = await Purge.PurgeInstanceStateAsync(new CorePurgeFilter((filter.CreatedFrom ?? DateTimeOffset.MinValue).UtcDateTime, filter.CreatedTo?.UtcDateTime, statuses)).ConfigureAwait(false);
        return new PurgeResult(result.DeletedInstanceCount);
    }

    /// <inheritdoc/>
    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static CoreStatus[]? DedupeStatuses(StartOrchestrationOptions? options)
    {
        if (options?.DedupeStatuses is not { Count: > 0 } statuses)
        {
            return null;
        }

        return [.. statuses.Select(s => Enum.TryParse<OrchestrationRuntimeStatus>(s, ignoreCase: true, out var status)
            ? status.ToCore()
            : throw new ArgumentException($"'{s}' is not an orchestration runtime status.", nameof(options)))];
    }

#pragma warning disable CS0618 // ContinuedAsNew is obsolete but still a live state in stored instances.
    private static bool IsRunning(CoreStatus status) => status is CoreStatus.Running or CoreStatus.Suspended or CoreStatus.Pending or CoreStatus.ContinuedAsNew;
#pragma warning restore CS0618

    private async Task<CoreStatus?> StatusAsync(string instanceId, CancellationToken cancellation)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        cancellation.ThrowIfCancellationRequested();
        var states = await _hub.Service.GetOrchestrationStateAsync(instanceId, allExecutions: false, fetchInput: false).ConfigureAwait(false);
        return states is { Count: > 0 } ? states[0].OrchestrationStatus : null;
    }

    private Task SendAsync(string instanceId, HistoryEvent @event, CancellationToken cancellation)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        cancellation.ThrowIfCancellationRequested();
        return _hub.Service.SendTaskOrchestrationMessageAsync(new TaskMessage { OrchestrationInstance = new OrchestrationInstance { InstanceId = instanceId }, Event = @event });
    }

    private OrchestrationMetadata ToMetadata(CoreState state, bool withData) => new(state.Name, state.OrchestrationInstance.InstanceId)
    {
        DataConverter = withData ? _converter : null,
        RuntimeStatus = state.OrchestrationStatus.ToRuntimeStatus(),
        CreatedAt = state.CreatedTime,
        LastUpdatedAt = state.LastUpdatedTime,
        SerializedInput = withData ? state.Input : null,
        SerializedOutput = withData ? state.Output : null,
        SerializedCustomStatus = state.Status,
        FailureDetails = state.FailureDetails.ToTaskFailureDetails(),
    };
}
