using System.Text.Json.Serialization;

namespace BulkDurable.Ingestion.Jobs;

/// <summary>
/// A set of chunk indexes stored as sorted, disjoint, half-open ranges. Chunks complete roughly in
/// order, so even a job of 100,000 chunks is a handful of ranges: small enough for Durable entity
/// state and status documents.
/// </summary>
public sealed class ChunkSet
{
    private readonly List<ChunkRange> _ranges;

    /// <summary>An empty set.</summary>
    public ChunkSet() => _ranges = [];

    /// <summary>A set holding the given ranges (deserialization); they are normalized.</summary>
    [JsonConstructor]
    public ChunkSet(IReadOnlyList<ChunkRange> ranges)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        _ranges = [];
        foreach (var range in ranges.Where(r => r.End > r.Start && r.Start >= 0).OrderBy(r => r.Start))
        {
            if (_ranges.Count > 0 && range.Start <= _ranges[^1].End)
            {
                _ranges[^1] = _ranges[^1] with { End = Math.Max(_ranges[^1].End, range.End) };
            }
            else
            {
                _ranges.Add(range);
            }
        }
    }

    /// <summary>The ranges, sorted and disjoint.</summary>
    public IReadOnlyList<ChunkRange> Ranges => _ranges;

    /// <summary>Number of chunks in the set.</summary>
    [JsonIgnore]
    public int Count => _ranges.Sum(r => r.End - r.Start);

    /// <summary>Whether <paramref name="index"/> is in the set.</summary>
    public bool Contains(int index)
    {
        var at = Find(index);
        return at >= 0 && _ranges[at].Start <= index && index < _ranges[at].End;
    }

    /// <summary>Adds a chunk; returns false when it was already there.</summary>
    public bool Add(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        var at = Find(index);
        if (at >= 0 && index < _ranges[at].End)
        {
            return false;
        }

        var joinsLeft = at >= 0 && _ranges[at].End == index;
        var joinsRight = at + 1 < _ranges.Count && _ranges[at + 1].Start == index + 1;
        if (joinsLeft && joinsRight)
        {
            _ranges[at] = _ranges[at] with { End = _ranges[at + 1].End };
            _ranges.RemoveAt(at + 1);
        }
        else if (joinsLeft)
        {
            _ranges[at] = _ranges[at] with { End = index + 1 };
        }
        else if (joinsRight)
        {
            _ranges[at + 1] = _ranges[at + 1] with { Start = index };
        }
        else
        {
            _ranges.Insert(at + 1, new ChunkRange(index, index + 1));
        }

        return true;
    }

    /// <summary>Removes a chunk; returns false when it was not there.</summary>
    public bool Remove(int index)
    {
        var at = Find(index);
        if (at < 0 || index >= _ranges[at].End)
        {
            return false;
        }

        var range = _ranges[at];
        _ranges.RemoveAt(at);
        if (index + 1 < range.End)
        {
            _ranges.Insert(at, new ChunkRange(index + 1, range.End));
        }

        if (range.Start < index)
        {
            _ranges.Insert(at, new ChunkRange(range.Start, index));
        }

        return true;
    }

    /// <summary>The indexes in [0, <paramref name="count"/>) that are not in the set.</summary>
    public IEnumerable<int> Missing(int count)
    {
        var next = 0;
        foreach (var range in _ranges)
        {
            for (var i = next; i < Math.Min(range.Start, count); i++)
            {
                yield return i;
            }

            next = Math.Max(next, range.End);
        }

        for (var i = next; i < count; i++)
        {
            yield return i;
        }
    }

    /// <summary>The indexes in [0, <paramref name="count"/>) that are not in the set, as ranges.</summary>
    public IReadOnlyList<ChunkRange> MissingRanges(int count)
    {
        var missing = new List<ChunkRange>();
        var next = 0;
        foreach (var range in _ranges)
        {
            if (range.Start > next && next < count)
            {
                missing.Add(new ChunkRange(next, Math.Min(range.Start, count)));
            }

            next = Math.Max(next, range.End);
        }

        if (next < count)
        {
            missing.Add(new ChunkRange(next, count));
        }

        return missing;
    }

    /// <summary>Index of the last range starting at or before <paramref name="index"/>, or -1.</summary>
    private int Find(int index)
    {
        int low = 0, high = _ranges.Count - 1, found = -1;
        while (low <= high)
        {
            var middle = low + ((high - low) / 2);
            if (_ranges[middle].Start <= index)
            {
                found = middle;
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return found;
    }
}

/// <summary>Chunk indexes from <see cref="Start"/> (inclusive) to <see cref="End"/> (exclusive).</summary>
/// <param name="Start">First index.</param>
/// <param name="End">One past the last index.</param>
public readonly record struct ChunkRange(int Start, int End);
