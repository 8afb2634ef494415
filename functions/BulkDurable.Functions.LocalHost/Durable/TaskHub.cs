using BulkDurable.Functions.LocalHost.Configuration;
using DurableTask.AzureStorage;

namespace BulkDurable.Functions.LocalHost.Durable;

/// <summary>
/// The task hub: DurableTask.Core's Azure Storage backend with the settings the Durable extension
/// derives from host.json (the extension's <c>AzureStorageDurabilityProviderFactory</c>), shared by the
/// worker and the client so that a message the client sends is seen by this host's dispatchers at
/// once, as in the Functions host.
/// </summary>
public sealed class TaskHub : IDisposable
{
    /// <summary>Creates the backend for <paramref name="settings"/>; the connection string is the app setting it names.</summary>
    /// <exception cref="InvalidOperationException">The connection setting is missing or the provider is not Azure Storage.</exception>
    public TaskHub(DurableTaskSettings settings, IConfiguration appSettings, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(appSettings);
        var provider = settings.StorageProvider;
        if (!string.Equals(provider.Type, "AzureStorage", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"host.json extensions.durableTask.storageProvider.type is '{provider.Type}'; the local host runs the AzureStorage backend only.");
        }

        var connection = appSettings[provider.ConnectionName] ?? appSettings.GetConnectionString(provider.ConnectionName);
        if (string.IsNullOrWhiteSpace(connection))
        {
            throw new InvalidOperationException($"The app setting {provider.ConnectionName} (the task hub's storage connection string, e.g. Azurite's) is not set.");
        }

        Settings = settings;
        Service = new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            StorageAccountClientProvider = new StorageAccountClientProvider(connection),
            TaskHubName = settings.HubName,
            PartitionCount = provider.PartitionCount,
            ControlQueueBatchSize = provider.ControlQueueBatchSize,
            ControlQueueVisibilityTimeout = provider.ControlQueueVisibilityTimeout,
            WorkItemQueueVisibilityTimeout = provider.WorkItemQueueVisibilityTimeout,
            MaxQueuePollingInterval = provider.MaxQueuePollingInterval,
            MaxConcurrentTaskActivityWorkItems = settings.MaxConcurrentActivityFunctions,
            MaxConcurrentTaskOrchestrationWorkItems = settings.MaxConcurrentOrchestratorFunctions,
            MaxConcurrentTaskEntityWorkItems = settings.MaxConcurrentEntityFunctions,
            ExtendedSessionsEnabled = settings.ExtendedSessionsEnabled,
            ExtendedSessionIdleTimeout = TimeSpan.FromSeconds(Math.Max(settings.ExtendedSessionIdleTimeoutInSeconds, 0)),

            // As the extension sets them: a start that hits a dedupe status fails instead of being
            // dropped silently, and entities have a work-item queue of their own (isolated workers).
            ThrowExceptionOnInvalidDedupeStatus = true,
            UseSeparateQueueForEntityWorkItems = true,
            LoggerFactory = loggerFactory,
        });
    }

    /// <summary>The settings the hub runs with.</summary>
    public DurableTaskSettings Settings { get; }

    /// <summary>The backend: orchestration service, client, query, purge and entity service in one.</summary>
    public AzureStorageOrchestrationService Service { get; }

    /// <inheritdoc/>
    public void Dispose() => Service.Dispose();
}
