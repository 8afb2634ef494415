using System.Buffers;
using BulkDurable.Ingestion.Catalog;

namespace BulkDurable.Ingestion.Records;

/// <summary>
/// The valid records of one chunk, parsed into typed columns. Text values stay UTF-8 in one pooled
/// byte arena, as they arrive and as PostgreSQL takes them, so building and sending a batch
/// allocates nothing per row and never transcodes. Each row remembers its record number, line and
/// place in the chunk's bytes, so a row the database refuses can be reported with its original text.
/// </summary>
internal sealed class RowBatch : IDisposable
{
    private readonly long[] _recordNumbers;
    private readonly long[] _lines;
    private readonly int[] _sourceOffsets;
    private readonly int[] _sourceLengths;
    private readonly int[] _order;
    private byte[] _arena;
    private int _arenaUsed;
    private int _rowArenaMark;
    private bool _disposed;

    /// <summary>Creates a batch for up to <paramref name="capacity"/> rows.</summary>
    /// <param name="dataset">The dataset whose columns the rows fill.</param>
    /// <param name="capacity">Most rows the batch will hold.</param>
    /// <param name="textCapacity">Expected bytes of text; the chunk's size is always enough.</param>
    public RowBatch(Dataset dataset, int capacity, int textCapacity)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        Dataset = dataset;
        Capacity = Math.Max(capacity, 1);
        Columns = dataset.Columns.Select(c => ColumnBuffer.Create(c, Capacity, this)).ToArray();
        _recordNumbers = ArrayPool<long>.Shared.Rent(Capacity);
        _lines = ArrayPool<long>.Shared.Rent(Capacity);
        _sourceOffsets = ArrayPool<int>.Shared.Rent(Capacity);
        _sourceLengths = ArrayPool<int>.Shared.Rent(Capacity);
        _order = ArrayPool<int>.Shared.Rent(Capacity);
        _arena = ArrayPool<byte>.Shared.Rent(Math.Max(textCapacity, 16));
    }

    public Dataset Dataset { get; }

    public int Capacity { get; }

    /// <summary>Rows committed so far.</summary>
    public int Count { get; private set; }

    public ColumnBuffer[] Columns { get; }

    public long RecordNumber(int row) => _recordNumbers[row];

    public long Line(int row) => _lines[row];

    public Range SourceRange(int row) => new(_sourceOffsets[row], _sourceOffsets[row] + _sourceLengths[row]);

    /// <summary>
    /// The rows in the order they are written to the database: by conflict key after
    /// <see cref="SortByConflictKey"/>, otherwise as read.
    /// </summary>
    public ReadOnlySpan<int> WriteOrder => _order.AsSpan(0, Count);

    /// <summary>The bytes of a text value.</summary>
    public ReadOnlySpan<byte> Text(TextRef text) => _arena.AsSpan(text.Start, text.Length);

    /// <summary>Starts filling row <see cref="Count"/>; every column of it is null until the parser sets a value.</summary>
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
        _order[Count] = Count;
        Count++;
    }

    /// <summary>
    /// Drops the row being filled (it was invalid), releasing the text it used. The row's slots are
    /// null again, so the next row, filled in the same place, starts from nothing but nulls.
    /// </summary>
    public void AbandonRow()
    {
        _arenaUsed = _rowArenaMark;
        foreach (var column in Columns)
        {
            column.SetNull(Count);
        }
    }

    /// <summary>Space for up to <paramref name="maxBytes"/> bytes of text in the current row.</summary>
    public Span<byte> RentText(int maxBytes)
    {
        if (_arenaUsed + maxBytes > _arena.Length)
        {
            // Only reached when the capacity estimate was low: text refs are offsets, so the
            // arena can move.
            var grown = ArrayPool<byte>.Shared.Rent(Math.Max(_arena.Length * 2, _arenaUsed + maxBytes));
            _arena.AsSpan(0, _arenaUsed).CopyTo(grown);
            ArrayPool<byte>.Shared.Return(_arena);
            _arena = grown;
        }

        return _arena.AsSpan(_arenaUsed, maxBytes);
    }

    /// <summary>Keeps the first <paramref name="written"/> bytes of the last <see cref="RentText"/>.</summary>
    public TextRef CommitText(int written)
    {
        var text = new TextRef(_arenaUsed, written);
        _arenaUsed += written;
        return text;
    }

    /// <summary>Copies <paramref name="utf8"/> into the arena.</summary>
    public TextRef AddText(ReadOnlySpan<byte> utf8)
    {
        utf8.CopyTo(RentText(utf8.Length));
        return CommitText(utf8.Length);
    }

    /// <summary>
    /// Orders the rows by the dataset's conflict key. Inserting a chunk in key order makes its
    /// index insertions local (PostgreSQL loads the same rows about a third faster) and makes
    /// concurrent chunks take row locks in the same order.
    /// </summary>
    public void SortByConflictKey()
    {
        var key = Dataset.ConflictKey.Select(c => Columns[c.Ordinal]).ToArray();
        if (key.Length == 0 || Count < 2)
        {
            return;
        }

        _order.AsSpan(0, Count).Sort((a, b) =>
        {
            foreach (var column in key)
            {
                var order = column.CompareRows(a, b);
                if (order != 0)
                {
                    return order;
                }
            }

            return a.CompareTo(b);
        });
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
        ArrayPool<int>.Shared.Return(_order);
        ArrayPool<byte>.Shared.Return(_arena);
    }
}
