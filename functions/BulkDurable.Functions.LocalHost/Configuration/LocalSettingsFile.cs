using System.Text.Json;

namespace BulkDurable.Functions.LocalHost.Configuration;

/// <summary>
/// <c>local.settings.json</c>, as <c>func start</c> reads it: its <c>Values</c> become app settings
/// (<c>A__B</c> is <c>A:B</c>), below environment variables and command-line arguments.
/// </summary>
public static class LocalSettingsFile
{
    /// <summary>Adds the file in <paramref name="directory"/> as the lowest-precedence source, when it exists.</summary>
    public static void AddTo(IConfigurationManager configuration, string directory)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var path = Path.Combine(directory, "local.settings.json");
        if (!File.Exists(path))
        {
            return;
        }

        using var document = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        if (!document.RootElement.TryGetProperty("Values", out var values))
        {
            return;
        }

        var settings = values.EnumerateObject().Select(v => new KeyValuePair<string, string?>(v.Name.Replace("__", ":", StringComparison.Ordinal), v.Value.ToString()));
        var source = new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource { InitialData = settings };
        configuration.Sources.Insert(0, source);
    }
}
