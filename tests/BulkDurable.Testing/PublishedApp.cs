using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using Xunit;

namespace BulkDurable.Testing;

/// <summary>
/// The Functions app as <c>dotnet publish</c> lays it out for deployment, published once per test class
/// from the build this test run compiled (same configuration, <c>--no-build</c>) into a folder of its own.
/// </summary>
public sealed class PublishedApp : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "bulkdurable-publish-" + Guid.NewGuid().ToString("N"));

    /// <summary>The publish folder.</summary>
    public string Folder => _folder;

    /// <summary>The functions of <c>functions.metadata</c>, as the Functions host reads them.</summary>
    public IReadOnlyList<PublishedFunction> Functions { get; private set; } = [];

    public async ValueTask InitializeAsync()
    {
        var configuration = typeof(PublishedApp).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "publish", RepositoryPaths.Combine("functions", "BulkDurable.Functions", "BulkDurable.Functions.csproj"), "-c", configuration, "--no-build", "-o", _folder, "-nologo" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet publish did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish failed ({process.ExitCode}):\n{await output}\n{await error}");
        }

        await using var metadata = File.OpenRead(Path.Combine(_folder, "functions.metadata"));
        using var document = await JsonDocument.ParseAsync(metadata);
        Functions = [.. document.RootElement.EnumerateArray().Select(PublishedFunction.From)];
    }

    public ValueTask DisposeAsync()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary>One function of <c>functions.metadata</c>: its name, entry point and trigger binding.</summary>
/// <param name="Name">The function name.</param>
/// <param name="EntryPoint">The method the worker invokes (type and method name).</param>
/// <param name="TriggerType">The trigger binding's type (<c>httpTrigger</c>, <c>orchestrationTrigger</c>, ...).</param>
/// <param name="Route">The HTTP route, for HTTP triggers.</param>
/// <param name="Methods">The HTTP methods, lower case, for HTTP triggers.</param>
/// <param name="AuthLevel">The authorization level, for HTTP triggers.</param>
/// <param name="BindingTypes">Every binding's type, the trigger's included.</param>
public sealed record PublishedFunction(string Name, string EntryPoint, string? TriggerType, string? Route, IReadOnlyList<string> Methods, string? AuthLevel, IReadOnlyList<string> BindingTypes)
{
    public static PublishedFunction From(JsonElement function)
    {
        var bindings = function.GetProperty("bindings").EnumerateArray().ToList();
        var trigger = bindings.FirstOrDefault(b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));
        string? Text(string name) => trigger.ValueKind == JsonValueKind.Object && trigger.TryGetProperty(name, out var value) ? value.GetString() : null;
        IReadOnlyList<string> methods = trigger.ValueKind == JsonValueKind.Object && trigger.TryGetProperty("methods", out var list)
            ? [.. list.EnumerateArray().Select(m => m.GetString()!.ToLowerInvariant())]
            : [];
        return new PublishedFunction(
            function.GetProperty("name").GetString()!,
            function.GetProperty("entryPoint").GetString()!,
            Text("type"),
            Text("route"),
            methods,
            Text("authLevel"),
            [.. bindings.Select(b => b.GetProperty("type").GetString()!)]);
    }
}
