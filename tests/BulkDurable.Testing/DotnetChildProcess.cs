using System.Diagnostics;
using Microsoft.Extensions.Configuration;

namespace BulkDurable.Testing;

/// <summary>
/// Starts a built .NET program (<c>dotnet program.dll ...</c>) as a child process whose settings are
/// a test's, passed the way a user's shell or an app service would: as <c>BulkDurable__*</c>
/// environment variables.
/// </summary>
public static class DotnetChildProcess
{
    private const string SettingsPrefix = "BulkDurable:";
    private const string VariablePrefix = "BulkDurable__";

    /// <summary>
    /// What starts <paramref name="assemblyPath"/> with <paramref name="arguments"/>, output
    /// redirected; its environment holds the <c>BulkDurable:</c> settings of
    /// <paramref name="settings"/> and no others inherited from the test run.
    /// </summary>
    public static ProcessStartInfo StartInfo(string assemblyPath, IEnumerable<string> arguments, IConfiguration settings)
    {
        ArgumentException.ThrowIfNullOrEmpty(assemblyPath);
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(settings);
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(assemblyPath);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith(VariablePrefix, StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in settings.AsEnumerable())
        {
            if (value is not null && key.StartsWith(SettingsPrefix, StringComparison.Ordinal))
            {
                start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
            }
        }

        return start;
    }
}
