using System.Text.Json;
using BulkDurable.Functions.Admission;
using BulkDurable.Functions.Http;
using BulkDurable.Functions.Orchestration;
using BulkDurable.Functions.Retention;
using BulkDurable.Functions.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BulkDurable.Functions;

/// <summary>Registers the Functions app's own services (the engine is registered by <c>AddBulkDurableIngestion</c>).</summary>
public static class FunctionsServiceCollectionExtensions
{
    /// <summary>
    /// Adds the caller, admission and retention options (bound and validated at start-up), the Durable payload serialization (camelCase, enums as strings: the worker serializer
    /// used for orchestration inputs, activity results and entity state), the orchestration settings
    /// and the management link factory.
    /// </summary>
    public static IServiceCollection AddBulkDurableFunctions(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<CallerOptions>().Bind(configuration.GetSection(CallerOptions.Section)).ValidateOnStart();
        services.AddOptions<AdmissionOptions>().Bind(configuration.GetSection(AdmissionOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RetentionOptions>().Bind(configuration.GetSection(RetentionOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<CallerResolver>();
        services.TryAddSingleton<JobHistoryPurge>();
        services.TryAddSingleton<AdmissionControl>();

        // The worker's default ObjectSerializer is built from IOptions<JsonSerializerOptions>.
        services.Configure<JsonSerializerOptions>(FunctionsJson.Configure);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<OrchestrationSettingsFactory>();
        services.TryAddSingleton<JobOrchestrations>();
        services.TryAddSingleton<IManagementLinkFactory, DurableManagementLinkFactory>();
        return services;
    }

    /// <summary>
    /// Adds the shipped dataset catalog (<c>datasets.json</c>, copied next to the app) as the first
    /// configuration source, so app settings (<c>BulkDurable__Datasets__...</c>) can override or extend it.
    /// </summary>
    public static IConfigurationBuilder AddDatasetCatalog(this IConfigurationBuilder configuration, string directory)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var source = new JsonConfigurationSource { Path = Path.Combine(directory, "datasets.json"), Optional = false, ReloadOnChange = false };
        source.ResolveFileProvider();
        configuration.Sources.Insert(0, source);
        return configuration;
    }
}
