using System.Text.RegularExpressions;

namespace BulkDurable.Functions.LocalHost.Configuration;

/// <summary>
/// The app's <c>host.json</c> as the Functions host reads it: app settings named
/// <c>AzureFunctionsJobHost__path__to__setting</c> override its values, and <c>%NAME%</c> in a value is
/// the app setting <c>NAME</c> (as in <c>"hubName": "%DurableTaskHubName%"</c>).
/// </summary>
public static partial class HostJson
{
    /// <summary>The app-setting prefix that overrides host.json values.</summary>
    public const string OverridePrefix = "AzureFunctionsJobHost";

    /// <summary>Reads <c>host.json</c> in <paramref name="directory"/>, with the overrides and settings of <paramref name="appSettings"/>.</summary>
    /// <returns>The whole file, resolved (its <c>logging</c> section configures the host's logging).</returns>
    /// <exception cref="InvalidOperationException">The file is missing, or a <c>%NAME%</c> names no setting.</exception>
    public static IConfigurationRoot Read(string directory, IConfiguration appSettings)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(appSettings);
        var path = Path.Combine(directory, "host.json");
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{path} is missing: the Functions app copies host.json into its output.");
        }

        var overrides = appSettings.GetSection(OverridePrefix).AsEnumerable(makePathsRelative: true).Where(p => p.Value is not null);
        var host = new ConfigurationBuilder()
            .AddJsonFile(path, optional: false, reloadOnChange: false)
            .AddInMemoryCollection(overrides)
            .Build();

        // Settings references are resolved before binding, so a TimeSpan or number may come from a setting too.
        var resolved = host.AsEnumerable()
            .Where(p => p.Value is not null)
            .Select(p => new KeyValuePair<string, string?>(p.Key, Resolve(p.Key, p.Value!, appSettings)));
        return new ConfigurationBuilder().AddInMemoryCollection(resolved).Build();
    }

    /// <summary>The settings the local host applies, validated.</summary>
    /// <exception cref="InvalidOperationException">A setting is out of range.</exception>
    public static LocalHostSettings Settings(IConfiguration hostJson)
    {
        ArgumentNullException.ThrowIfNull(hostJson);
        var settings = new LocalHostSettings();
        hostJson.Bind(settings, o => o.ErrorOnUnknownConfiguration = false);
        settings.Validate();
        return settings;
    }

    private static string Resolve(string key, string value, IConfiguration appSettings) =>
        SettingReference().Replace(value, match => appSettings[match.Groups[1].Value]
            ?? throw new InvalidOperationException($"host.json {key} refers to the app setting {match.Groups[1].Value}, which is not set."));

    [GeneratedRegex("%([A-Za-z0-9_:.\\-]+)%")]
    private static partial Regex SettingReference();
}
