using BulkDurable.Ingestion.Api;
using BulkDurable.Ingestion.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BulkDurable.Functions;

/// <summary>
/// The app's configuration and services, in one place for every host that runs its functions: the
/// Functions worker (Program.cs) and the local Durable host (functions/BulkDurable.Functions.LocalHost).
/// </summary>
public static class FunctionsAppBuilder
{
    /// <summary>
    /// Adds the shipped dataset catalog (next to the app) as the first configuration source, then the
    /// engine, the HTTP API and the app's own services, each with its options bound and validated at
    /// start-up: a missing or invalid setting stops the host with a message naming the key
    /// (docs/configuration.md).
    /// </summary>
    /// <param name="builder">The host's application builder.</param>
    /// <returns>The builder.</returns>
    public static IHostApplicationBuilder AddBulkDurableApp(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Configuration.AddDatasetCatalog(AppContext.BaseDirectory);
        builder.Services.AddBulkDurableIngestion(builder.Configuration);
        builder.Services.AddBulkDurableApi(builder.Configuration);
        builder.Services.AddBulkDurableFunctions(builder.Configuration);

        // Npgsql logs every command at Information: per chunk several lines of SQL that would drown
        // the app's own logs and fill Application Insights. Its warnings and errors still come through.
        builder.Logging.AddFilter("Npgsql", LogLevel.Warning);
        return builder;
    }
}
