using System.Buffers;
using BulkDurable.Ingestion.Catalog;

namespace BulkDurable.Ingestion.Records;

/// <summary>
/// The valid records of one chunk, parsed into typed columns. Text values are slices of one pooled
/// character arena, so building a batch allocates nothing per row. Each row remembers its record
/// number, line and place in the chunk's bytes, so a row the database refuses can be reported with
/// its original text.
/// </summary>
internal sealed class RowBatch : IDisposable
{
    private readonly long[] _recordNumbers;
    private readonly long[] _lines;
    private readonly int[] _sourceOffsets;
    private readonly int[] _sourceLengths;
    private readonly List<char[]> _retiredArenas = [];
    private char[] _arena;
    private int _arenaUsed;
    private int _rowArenaMark;
    private bool _disposed;

    public RowBatch(Dataset dataset, int capacity, int textCapacity)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        Dataset = dataset;
        Capacity = Math.Max(capacity, 1);
        Columns = dataset.Columns.Select(c => ColumnBuffer.Create(c, Capacity)).ToArray();
        _recordNumbers = ArrayPool<long>.Shared.Rent(Capacity);
        _lines = ArrayPool<long>.Shared.Rent(Capacity);
        _sourceOffsets = ArrayPool<int>.Shared.Rent(Capacity);
        _sourceLengths = ArrayPool<int>.Shared.Rent(Capacity);
        _arena = ArrayPool<char>.Shared.Rent(Math.Max(textCapacity, 16));
    }

    public Dataset Dataset { get; }

    public int Capacity { get; }

    /// <summary>Rows committed so far.</summary>
    public int Count { get; private set; }

    public ColumnBuffer[] Columns { get; }

    public long RecordNumber(int row) => _recordNumbers[row];

    public long Line(int row) => _lines[row];

    public Range SourceRange(int row) => new(_sourceOffsets[row], _sourceOffsets[row] + _sourceLengths[row]);

    /// <summary>Starts filling row <see cref="Count"/>.</summary>
    public void BeginRow()
    {
        if (Count >= Capacity)
        {
            throw new InvalidOperationException("The batch is full.");
        }

        _rowArenaMark = _arenaUsed;
    }

    /// <summary>Keeps the row being filled.</summary>
    public void CommitRow(long recordNumber, long line, int sourceOffset, int sourceLength)
    {
        _recordNumbers[Count] = recordNumber;
        _lines[Count] = line;
        _sourceOffsets[Count] = sourceOffset;
        _sourceLengths[Count] = sourceLength;
        Count++;
    }

    /// <summary>Drops the row being filled (it was invalid), releasing the text it used.</summary>
    public void AbandonRow() => _arenaUsed = _rowArenaMark;

    /// <summary>Space for up to <paramref name="maxChars"/> characters of text in the current row.</summary>
    public Span<char> RentText(int maxChars)
    {
        if (_arenaUsed + maxChars > _arena.Length)
        {
            // Only reached when the capacity estimate was low. Committed text keeps pointing into
            // the old arena, so it is retired (returned on dispose) rather than copied.
            _retiredArenas.Add(_arena);
            _arena = ArrayPool<char>.Shared.Rent(Math.Max(_arena.Length * 2, maxChars));
            _arenaUsed = _rowArenaMark = 0;
        }

        return _arena.AsSpan(_arenaUsed, maxChars);
    }

    /// <summary>Keeps the first <paramref name="written"/> characters of the last <see cref="RentText"/>.</summary>
    public ReadOnlyMemory<char> CommitText(int written)
    {
        var text = new ReadOnlyMemory<char>(_arena, _arenaUsed, written);
        _arenaUsed += written;
        return text;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var column in Columns)
        {
            column.Dispose();
        }

        ArrayPool<long>.Shared.Return(_recordNumbers);
        ArrayPool<long>.Shared.Return(_lines);
        ArrayPool<int>.Shared.Return(_sourceOffsets);
        ArrayPool<int>.Shared.Return(_sourceLengths);
        ArrayPool<char>.Shared.Return(_arena);
        foreach (var arena in _retiredArenas)
        {
            ArrayPool<char>.Shared.Return(arena);
        }
    }
}
