using BulkDurable.Ingestion.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BulkDurable.Cli.Hosting;

/// <summary>
/// The ingestion engine registered as the Functions app registers it, over the CLI's settings.
/// Options are validated when a command asks for the whole engine (<see cref="ValidateSettings"/>)
/// or, for commands that need only part of it, when a service is first resolved; either way a
/// missing or invalid setting becomes a usage error naming its environment variable.
/// </summary>
internal sealed class EngineHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private EngineHost(ServiceProvider services) => _services = services;

    /// <summary>Builds the engine; nothing connects to a server yet.</summary>
    public static EngineHost Create(CliEnvironment environment, bool verbose, IReadOnlyDictionary<string, string?>? overrides)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var configuration = new ConfigurationBuilder()
            .AddConfiguration(environment.Configuration)
            .AddInMemoryCollection(overrides ?? new Dictionary<string, string?>())
            .Build();
        var services = new ServiceCollection()
            .AddLogging(logging => logging
                .SetMinimumLevel(verbose ? LogLevel.Information : LogLevel.Warning)
                .AddProvider(new TextWriterLoggerProvider(environment.Error, includeStackTraces: verbose)))
            .AddBulkDurableIngestion(configuration)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        return new EngineHost(services);
    }

    /// <summary>Validates every option, as the Functions host does at start-up.</summary>
    /// <exception cref="CliException">A setting is missing or invalid (usage error).</exception>
    public void ValidateSettings() => WithSettings(() =>
    {
        _services.GetRequiredService<IStartupValidator>().Validate();
        return true;
    });

    /// <summary>Resolves an engine service, validating the options it depends on.</summary>
    /// <exception cref="CliException">A setting it needs is missing or invalid (usage error).</exception>
    public T Get<T>()
        where T : notnull => WithSettings(_services.GetRequiredService<T>);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _services.DisposeAsync();

    private static T WithSettings<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (OptionsValidationException ex)
        {
            throw CliException.Usage(SettingsErrors.Describe([ex]));
        }
        catch (AggregateException ex) when (ex.InnerExceptions.All(e => e is OptionsValidationException))
        {
            throw CliException.Usage(SettingsErrors.Describe(ex.InnerExceptions.Cast<OptionsValidationException>().ToList()));
        }
    }
}
