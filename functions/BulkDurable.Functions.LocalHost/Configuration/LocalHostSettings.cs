using System.Globalization;

namespace BulkDurable.Functions.LocalHost.Configuration;

/// <summary>The parts of <c>host.json</c> the local host applies (names and defaults as the Functions host's).</summary>
public sealed class LocalHostSettings
{
    /// <summary><c>extensions</c>.</summary>
    public ExtensionsSettings Extensions { get; set; } = new();

    /// <summary>Fails on a value the Functions host would refuse too.</summary>
    /// <exception cref="InvalidOperationException">A setting is out of range.</exception>
    public void Validate()
    {
        var durable = Extensions.DurableTask;
        if (string.IsNullOrWhiteSpace(durable.HubName))
        {
            throw new InvalidOperationException("host.json extensions.durableTask.hubName is empty.");
        }

        Require(durable.OverridableExistingInstanceStates is "AnyState" or "NonRunningStates", "extensions.durableTask.overridableExistingInstanceStates must be AnyState or NonRunningStates");
        Require(durable.StorageProvider.PartitionCount is >= 1 and <= 16, "extensions.durableTask.storageProvider.partitionCount must be 1 to 16");
        Require(durable.MaxConcurrentActivityFunctions >= 1, "extensions.durableTask.maxConcurrentActivityFunctions must be at least 1");
        Require(durable.MaxConcurrentOrchestratorFunctions >= 1, "extensions.durableTask.maxConcurrentOrchestratorFunctions must be at least 1");
        Require(durable.MaxConcurrentEntityFunctions >= 1, "extensions.durableTask.maxConcurrentEntityFunctions must be at least 1");
        Require(durable.StorageProvider.WorkItemQueueVisibilityTimeout > TimeSpan.Zero, "extensions.durableTask.storageProvider.workItemQueueVisibilityTimeout must be positive");
        Require(durable.StorageProvider.ControlQueueVisibilityTimeout > TimeSpan.Zero, "extensions.durableTask.storageProvider.controlQueueVisibilityTimeout must be positive");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException("host.json " + message + ".");
        }
    }
}

/// <summary><c>extensions</c> of host.json.</summary>
public sealed class ExtensionsSettings
{
    /// <summary><c>extensions.http</c>.</summary>
    public HttpSettings Http { get; set; } = new();

    /// <summary><c>extensions.durableTask</c>.</summary>
    public DurableTaskSettings DurableTask { get; set; } = new();
}

/// <summary><c>extensions.http</c> of host.json.</summary>
public sealed class HttpSettings
{
    /// <summary>The prefix of every HTTP route (<c>api</c> by default, as in the Functions host).</summary>
    public string RoutePrefix { get; set; } = "api";
}

/// <summary><c>extensions.durableTask</c> of host.json, with the Durable extension's defaults.</summary>
public sealed class DurableTaskSettings
{
    /// <summary>The task hub.</summary>
    public string HubName { get; set; } = "TestHubName";

    /// <summary>The Azure Storage backend.</summary>
    public StorageProviderSettings StorageProvider { get; set; } = new();

    /// <summary>Activity work items at once on this host (the extension's default: 10 per processor).</summary>
    public int MaxConcurrentActivityFunctions { get; set; } = 10 * Environment.ProcessorCount;

    /// <summary>Orchestrator work items at once on this host (the extension's default: 10 per processor).</summary>
    public int MaxConcurrentOrchestratorFunctions { get; set; } = 10 * Environment.ProcessorCount;

    /// <summary>Entity work items at once on this host (the extension's default: 10 per processor).</summary>
    public int MaxConcurrentEntityFunctions { get; set; } = 10 * Environment.ProcessorCount;

    /// <summary>
    /// Which states of an existing instance a start may replace: <c>AnyState</c> (the extension's
    /// default) or <c>NonRunningStates</c> (a live instance is never replaced).
    /// </summary>
    public string OverridableExistingInstanceStates { get; set; } = "AnyState";

    /// <summary>Whether orchestrations stay in memory between episodes.</summary>
    public bool ExtendedSessionsEnabled { get; set; }

    /// <summary>How long an idle extended session stays in memory.</summary>
    public int ExtendedSessionIdleTimeoutInSeconds { get; set; } = 30;

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"hub {HubName}, {StorageProvider.PartitionCount} partitions, activities {MaxConcurrentActivityFunctions}, orchestrators {MaxConcurrentOrchestratorFunctions}, entities {MaxConcurrentEntityFunctions}");
}

/// <summary><c>extensions.durableTask.storageProvider</c> of host.json (type AzureStorage).</summary>
public sealed class StorageProviderSettings
{
    /// <summary>The backend; the local host serves <c>AzureStorage</c> only.</summary>
    public string Type { get; set; } = "AzureStorage";

    /// <summary>The app setting holding the storage connection string.</summary>
    public string ConnectionName { get; set; } = "AzureWebJobsStorage";

    /// <summary>Control queues (fixed when the task hub is created).</summary>
    public int PartitionCount { get; set; } = 4;

    /// <summary>Messages fetched from a control queue at once.</summary>
    public int ControlQueueBatchSize { get; set; } = 32;

    /// <summary>How long a dequeued control-queue message stays invisible (what a crashed host delays).</summary>
    public TimeSpan ControlQueueVisibilityTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a dequeued work-item message stays invisible (what a crashed host delays).</summary>
    public TimeSpan WorkItemQueueVisibilityTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The longest wait between polls of an idle queue.</summary>
    public TimeSpan MaxQueuePollingInterval { get; set; } = TimeSpan.FromSeconds(30);
}
