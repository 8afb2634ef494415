using System.Collections.Concurrent;

namespace BulkDurable.Ingestion.Loading;

/// <summary>
/// A small concurrent cache for values that never change once known (a job's manifest, whether a
/// job's rows conflict). It is emptied when full: simple, bounded, and good enough for lookups whose
/// miss costs one blob read.
/// </summary>
internal sealed class BoundedCache<TValue>(int capacity)
{
    private readonly ConcurrentDictionary<string, TValue> _entries = new(StringComparer.Ordinal);

    public bool TryGet(string key, out TValue value) => _entries.TryGetValue(key, out value!);

    public void Set(string key, TValue value)
    {
        if (_entries.Count >= capacity)
        {
            _entries.Clear();
        }

        _entries[key] = value;
    }
}
