using System.Reflection;
using System.Text.Json;
using Microsoft.Azure.Functions.Worker;

namespace BulkDurable.Functions.LocalHost.Catalog;

/// <summary>
/// The app's functions, read the way the Functions host reads them: from the <c>functions.metadata</c>
/// the worker SDK generates from the <c>[Function]</c> and trigger attributes, each entry point resolved
/// to its method. A function the local host cannot serve (an unknown trigger or binding) stops it at
/// start-up, so that nothing of the app is silently left out.
/// </summary>
public sealed class FunctionCatalog
{
    /// <summary>The binding types the local host knows, besides the triggers.</summary>
    private static readonly HashSet<string> SupportedBindings = new(StringComparer.OrdinalIgnoreCase) { "http", "durableClient" };

    private FunctionCatalog(IReadOnlyList<AppFunction> functions) => Functions = functions;

    /// <summary>Every function of the app.</summary>
    public IReadOnlyList<AppFunction> Functions { get; }

    /// <summary>The functions of one trigger kind.</summary>
    public IEnumerable<AppFunction> Of(TriggerKind kind) => Functions.Where(f => f.Trigger == kind);

    /// <summary>Reads <c>functions.metadata</c> in <paramref name="directory"/> and resolves every entry point.</summary>
    /// <exception cref="InvalidOperationException">The file is missing, or a function cannot be served.</exception>
    public static FunctionCatalog Load(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var path = Path.Combine(directory, "functions.metadata");
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{path} is missing: build the Functions app (functions/BulkDurable.Functions) first; its SDK generates the file.");
        }

        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var functions = document.RootElement.EnumerateArray().Select(f => Resolve(directory, f)).ToList();
        var duplicate = functions.GroupBy(f => f.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"functions.metadata declares '{duplicate.Key}' more than once.");
        }

        return new FunctionCatalog(functions);
    }

    private static AppFunction Resolve(string directory, JsonElement function)
    {
        var name = function.GetProperty("name").GetString() ?? throw new InvalidOperationException("A function in functions.metadata has no name.");
        var scriptFile = function.GetProperty("scriptFile").GetString()!;
        var entryPoint = function.GetProperty("entryPoint").GetString()!;
        var method = FindMethod(directory, name, scriptFile, entryPoint);

        AppFunction? resolved = null;
        foreach (var binding in function.GetProperty("bindings").EnumerateArray())
        {
            var type = binding.GetProperty("type").GetString()!;
            var parameterName = binding.TryGetProperty("name", out var n) ? n.GetString() : null;
            var kind = type switch
            {
                "httpTrigger" => TriggerKind.Http,
                "orchestrationTrigger" => TriggerKind.Orchestration,
                "activityTrigger" => TriggerKind.Activity,
                "entityTrigger" => TriggerKind.Entity,
                "timerTrigger" => TriggerKind.Timer,
                _ when SupportedBindings.Contains(type) => (TriggerKind?)null,
                _ => throw new InvalidOperationException($"Function {name} has a '{type}' binding, which the local host does not serve (docs/functions.md, \"Local Durable host\")."),
            };
            if (kind is not { } trigger)
            {
                continue;
            }

            var parameter = method.GetParameters().SingleOrDefault(p => p.Name == parameterName)
                ?? throw new InvalidOperationException($"Function {name}: its trigger binds parameter '{parameterName}', which {entryPoint} does not have.");
            resolved = new AppFunction(
                name,
                trigger,
                method,
                parameter,
                trigger == TriggerKind.Http ? ReadRoute(name, binding) : null,
                trigger == TriggerKind.Timer ? ReadSchedule(name, binding) : null);
        }

        return resolved ?? throw new InvalidOperationException($"Function {name} has no trigger binding in functions.metadata.");
    }

    private static MethodInfo FindMethod(string directory, string name, string scriptFile, string entryPoint)
    {
        var split = entryPoint.LastIndexOf('.');
        if (split <= 0)
        {
            throw new InvalidOperationException($"Function {name}: entry point '{entryPoint}' is not Type.Method.");
        }

        var assemblyName = AssemblyName.GetAssemblyName(Path.Combine(directory, scriptFile));
        var type = Assembly.Load(assemblyName).GetType(entryPoint[..split], throwOnError: true)!;
        var methodName = entryPoint[(split + 1)..];

        // The attribute, not only the name, identifies the method: the metadata was generated from it.
        return type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
            .SingleOrDefault(m => m.Name == methodName && m.GetCustomAttribute<FunctionAttribute>()?.Name == name)
            ?? throw new InvalidOperationException($"Function {name}: {entryPoint} has no [Function(\"{name}\")] method; rebuild the app.");
    }

    private static TimerSchedule ReadSchedule(string name, JsonElement binding)
    {
        var schedule = binding.TryGetProperty("schedule", out var s) ? s.GetString() : null;
        var runOnStartup = binding.TryGetProperty("runOnStartup", out var r) && r.ValueKind == JsonValueKind.True;
        return TimerSchedule.Parse(name, schedule, runOnStartup);
    }

    private static HttpRoute ReadRoute(string name, JsonElement binding)
    {
        var route = binding.TryGetProperty("route", out var r) && r.GetString() is { Length: > 0 } template ? template : name;
        var methods = binding.TryGetProperty("methods", out var m)
            ? m.EnumerateArray().Select(x => x.GetString()!.ToUpperInvariant()).ToList()
            : [];
        var authLevel = binding.TryGetProperty("authLevel", out var a) ? a.GetString() ?? "Function" : "Function";
        return new HttpRoute(route, methods, authLevel);
    }
}
