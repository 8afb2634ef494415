using BulkDurable.Ingestion.Uploads;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BulkDurable.Ingestion.Api;

/// <summary>Registers what an HTTP host needs on top of the engine.</summary>
public static class ApiServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="ApiOptions"/> (bound from <c>BulkDurable:Api</c> and validated at start-up) and
    /// the <see cref="UploadUrlIssuer"/>. Call after <c>AddBulkDurableIngestion</c>, which registers the
    /// blob clients the issuer uses.
    /// </summary>
    public static IServiceCollection AddBulkDurableApi(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<ApiOptions>().Bind(configuration.GetSection(ApiOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<UploadUrlIssuer>();
        return services;
    }
}
