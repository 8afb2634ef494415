using BulkDurable.Ingestion.Configuration;
using BulkDurable.Ingestion.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BulkDurable.FaultWorker;

/// <summary>The engine configured from <c>BulkDurable__*</c> environment variables, with a fault injector of the worker's choosing.</summary>
internal static class WorkerHost
{
    public static ServiceProvider Create(IFaultInjector faults)
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        return new ServiceCollection()
            .AddLogging(logging => logging
                .SetMinimumLevel(LogLevel.Warning)
                .AddSimpleConsole(console => console.SingleLine = true)
                .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace))
            .AddSingleton(faults)
            .AddBulkDurableIngestion(configuration)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }
}
