using Microsoft.Extensions.Configuration;

namespace BulkDurable.Cli.Hosting;

/// <summary>
/// The process's settings, read like the Functions app reads them: the dataset catalog shipped
/// next to the executable (<c>datasets.json</c>), then environment variables (<c>BulkDurable__Postgres__ConnectionString</c>, …).
/// </summary>
internal static class CliConfiguration
{
    /// <summary>The catalog file's name, next to the executable.</summary>
    public const string CatalogFile = "datasets.json";

    /// <summary>Builds the configuration of this process.</summary>
    public static IConfiguration FromProcess() =>
        new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, CatalogFile), optional: true)
            .AddEnvironmentVariables()
            .Build();
}
