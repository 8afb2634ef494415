using System.Text.Json;
using BulkDurable.Functions.Http;
using BulkDurable.Functions.LocalHost.Catalog;
using BulkDurable.Functions.LocalHost.Client;
using BulkDurable.Functions.LocalHost.Configuration;
using BulkDurable.Functions.LocalHost.Durable;
using BulkDurable.Functions.LocalHost.Faults;
using BulkDurable.Functions.LocalHost.Http;
using BulkDurable.Functions.LocalHost.Timers;
using BulkDurable.Ingestion.Diagnostics;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Converters;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace BulkDurable.Functions.LocalHost;

/// <summary>Composes the local Durable host around the app's services.</summary>
public static class LocalFunctionsHost
{
    /// <summary>
    /// Adds what the Functions host provides to the app: its settings (<c>local.settings.json</c>
    /// values below the environment, as <c>func start</c> passes them), the function catalog, host.json,
    /// the task hub, the Durable worker, the timer scheduler, the <c>[DurableClient]</c> client, the keys
    /// and the management URLs of this host.
    /// </summary>
    public static WebApplicationBuilder AddLocalFunctionsHost(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        LocalSettingsFile.AddTo(builder.Configuration, AppContext.BaseDirectory);
        var catalog = FunctionCatalog.Load(AppContext.BaseDirectory);
        var hostJson = HostJson.Read(AppContext.BaseDirectory, builder.Configuration);
        var settings = HostJson.Settings(hostJson);
        builder.Logging.AddConfiguration(hostJson.GetSection("logging"));
        builder.Logging.AddFilter(RedactedRequestLog.AspNetCoreRequestCategory, LogLevel.None);

        var services = builder.Services;
        services.AddSingleton(catalog);
        services.AddSingleton(settings);
        services.AddSingleton(settings.Extensions.DurableTask);
        services.AddSingleton<TaskHub>();
        services.AddSingleton<LocalHostState>();
        services.AddSingleton<OrchestrationEpisodeStats>();
        services.AddSingleton<DataConverter>(sp => new JsonDataConverter(sp.GetRequiredService<IOptions<JsonSerializerOptions>>().Value));
        services.AddSingleton<DurableTaskClient, LocalDurableTaskClient>();
        services.AddHostedService<DurableFunctionsWorker>();

        // After the worker: hosted services start in order, so a timer's first run finds the task hub created.
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<TimerFunctions>();
        services.AddHostedService(sp => sp.GetRequiredService<TimerFunctions>());
        services.AddOptions<HostKeysOptions>().Bind(builder.Configuration.GetSection(HostKeysOptions.Section));
        services.AddSingleton<HostKeys>();

        // The app registers the Functions binding's link factory; on this host the host builds the URLs.
        services.AddSingleton<IManagementLinkFactory, LocalManagementLinkFactory>();

        if (builder.Configuration.GetSection(HostFaultOptions.Section).Exists())
        {
            services.AddOptions<HostFaultOptions>().Bind(builder.Configuration.GetSection(HostFaultOptions.Section));
            services.Replace(ServiceDescriptor.Singleton<IFaultInjector, HostFaultInjector>());
        }
        return builder;
    }

    /// <summary>Maps the app's HTTP functions, the Durable HTTP API and the admin API.</summary>
    public static WebApplication MapLocalFunctionsHost(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var catalog = app.Services.GetRequiredService<FunctionCatalog>();
        app.UseMiddleware<RedactedRequestLog>();
        app.UseMiddleware<HostRequestBodyLimit>();
        HttpFunctionEndpoints.Map(app, catalog, app.Services.GetRequiredService<LocalHostSettings>());
        DurableHttpApi.Map(app);
        AdminApi.Map(app, catalog);
        return app;
    }
}
