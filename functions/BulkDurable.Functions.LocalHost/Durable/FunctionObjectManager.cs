using DurableTask.Core;

namespace BulkDurable.Functions.LocalHost.Durable;

/// <summary>
/// What DurableTask.Core's dispatchers ask for an orchestration, activity or entity by name: the app's
/// function of that name. Names compare case-insensitively, as entity names reach the dispatcher lower
/// cased (an entity id normalizes its name). Versions are not used: the app has one version of each function.
/// </summary>
/// <typeparam name="T">TaskOrchestration, TaskActivity or TaskEntity.</typeparam>
internal sealed class FunctionObjectManager<T>(IReadOnlyDictionary<string, Func<T>> factories) : INameVersionObjectManager<T>
    where T : class
{
    private readonly Dictionary<string, Func<T>> _factories = new(factories, StringComparer.OrdinalIgnoreCase);

    /// <summary>The names served.</summary>
    public IReadOnlyCollection<string> Names => _factories.Keys;

    /// <inheritdoc/>
    public void Add(ObjectCreator<T> creator) =>
        throw new NotSupportedException("The local host serves the app's functions only; they are registered from functions.metadata.");

    /// <inheritdoc/>
    public T? GetObject(string name, string? version) => _factories.TryGetValue(name, out var create) ? create() : null;
}
