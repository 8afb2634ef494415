using Azure.Core;
using Azure.Identity;
using Azure.Storage.Blobs;
using BulkDurable.Ingestion.Catalog;
using BulkDurable.Ingestion.Diagnostics;
using BulkDurable.Ingestion.Loading;
using BulkDurable.Ingestion.Planning;
using BulkDurable.Ingestion.Results;
using BulkDurable.Ingestion.Running;
using BulkDurable.Ingestion.Schema;
using BulkDurable.Ingestion.Staging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BulkDurable.Ingestion.Configuration;

/// <summary>Registers the engine in a host's service collection.</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Adds the engine: options bound from <c>BulkDurable:*</c> and validated at start-up, one
    /// <see cref="BlobServiceClient"/>, one <see cref="NpgsqlDataSource"/>, the dataset catalog, the
    /// runner steps and the direct runner.
    /// </summary>
    public static IServiceCollection AddBulkDurableIngestion(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<PostgresOptions>().Bind(configuration.GetSection(PostgresOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<IdentityOptions>().Bind(configuration.GetSection(IdentityOptions.Section));
        services.AddOptions<IngestionOptions>().Bind(configuration.GetSection(IngestionOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<OrchestrationOptions>().Bind(configuration.GetSection(OrchestrationOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DatasetCatalogOptions>().Bind(configuration.GetSection("BulkDurable")).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DatasetCatalogOptions>, DatasetCatalogOptionsValidator>());

        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<TokenCredential>(sp => new DefaultAzureCredential(new DefaultAzureCredentialOptions
        {
            ManagedIdentityClientId = sp.GetRequiredService<IOptions<IdentityOptions>>().Value.ManagedIdentityClientId,
        }));
        services.TryAddSingleton(sp => BlobClientFactory.CreateServiceClient(sp.GetRequiredService<IOptions<StorageOptions>>().Value, sp.GetRequiredService<TokenCredential>()));
        services.TryAddSingleton(sp => new IngestionBlobStore(
            sp.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(sp.GetRequiredService<IOptions<StorageOptions>>().Value.Container)));
        services.TryAddSingleton(sp => PostgresDataSourceFactory.Create(
            sp.GetRequiredService<IOptions<PostgresOptions>>().Value,
            sp.GetRequiredService<TokenCredential>(),
            sp.GetService<ILoggerFactory>()));
        services.TryAddSingleton(sp => DatasetCatalog.Create(sp.GetRequiredService<IOptions<DatasetCatalogOptions>>().Value));

        services.TryAddSingleton<IngestionTelemetry>();
        services.TryAddSingleton<IFaultInjector, NoFaultInjector>();
        services.TryAddSingleton<SchemaMigrator>();
        services.TryAddSingleton<DatasetSchemaVerifier>();
        services.TryAddSingleton<PayloadStager>();
        services.TryAddSingleton<ChunkPlanner>();
        services.TryAddSingleton<ChunkIndexReader>();
        services.TryAddSingleton<ChunkLedger>();
        services.TryAddSingleton<ChunkLoader>();
        services.TryAddSingleton<JobFinalizer>();
        services.TryAddSingleton<JobStatusReader>();
        services.TryAddSingleton<IngestionSteps>();
        services.TryAddSingleton<DirectJobRunner>();
        return services;
    }
}
