using System.Buffers;
using BulkDurable.Ingestion.Catalog;
using BulkDurable.Ingestion.Loading;

namespace BulkDurable.Ingestion.Records;

/// <summary>
/// One column of a <see cref="RowBatch"/>: pooled typed values plus null flags, encoded straight
/// into PostgreSQL's binary COPY format without boxing or per-value allocation.
/// <para>
/// A slot is null until a value is set in it. The arrays come from a shared pool and hold whatever
/// an earlier batch (of any job) left in them, so the null flags are reset when the buffer is
/// created and, through <see cref="RowBatch.AbandonRow"/>, when a row is dropped half-written: a
/// value is only ever read from a slot set for that very row, and a column a record does not give
/// (absent from a CSV header, omitted from a JSON object) is NULL, never a value of another record.
/// </para>
/// </summary>
internal abstract class ColumnBuffer : IDisposable
{
    protected ColumnBuffer(Column column, int capacity)
    {
        Column = column;
        Nulls = ArrayPool<bool>.Shared.Rent(capacity);
        Nulls.AsSpan(0, capacity).Fill(true);
    }

    public Column Column { get; }

    protected bool[] Nulls { get; }

    public void SetNull(int row) => Nulls[row] = true;

    public bool IsNull(int row) => Nulls[row];

    /// <summary>Orders two rows by this column's value, nulls first (for sorting a chunk by its key).</summary>
    public abstract int CompareRows(int a, int b);

    /// <summary>Bytes this column's field takes in a binary COPY row, its length word included.</summary>
    public abstract int EncodedLength(int row);

    /// <summary>Writes this column's field of <paramref name="row"/>.</summary>
    public abstract void Encode(ref PgCopyEncoder encoder, int row);

    public virtual void Dispose() => ArrayPool<bool>.Shared.Return(Nulls);

    public static ColumnBuffer Create(Column column, int capacity, RowBatch batch) => column.Type switch
    {
        ColumnType.Text or ColumnType.Jsonb => new TextColumnBuffer(column, capacity, batch),
        ColumnType.Int => new ValueColumnBuffer<int>(column, capacity),
        ColumnType.Bigint => new ValueColumnBuffer<long>(column, capacity),
        ColumnType.Numeric => new ValueColumnBuffer<decimal>(column, capacity),
        ColumnType.Double => new ValueColumnBuffer<double>(column, capacity),
        ColumnType.Bool => new ValueColumnBuffer<bool>(column, capacity),
        ColumnType.Timestamptz => new ValueColumnBuffer<DateTime>(column, capacity),
        ColumnType.Date => new ValueColumnBuffer<DateOnly>(column, capacity),
        ColumnType.Uuid => new ValueColumnBuffer<Guid>(column, capacity),
        _ => throw new ArgumentOutOfRangeException(nameof(column), column.Type, null),
    };
}

/// <summary>A column of fixed-size values (numbers, booleans, dates, timestamps, UUIDs).</summary>
internal sealed class ValueColumnBuffer<T> : ColumnBuffer
    where T : struct, IComparable<T>
{
    private readonly T[] _values;

    public ValueColumnBuffer(Column column, int capacity)
        : base(column, capacity) => _values = ArrayPool<T>.Shared.Rent(capacity);

    public void Set(int row, T value)
    {
        _values[row] = value;
        Nulls[row] = false;
    }

    public T Get(int row) => _values[row];

    public override int CompareRows(int a, int b) =>
        Nulls[a] || Nulls[b] ? Nulls[b].CompareTo(Nulls[a]) : _values[a].CompareTo(_values[b]);

    public override int EncodedLength(int row) => 4 + (Nulls[row] ? 0 : PgCopyEncoder.MaxFixedSize);

    public override void Encode(ref PgCopyEncoder encoder, int row)
    {
        if (Nulls[row])
        {
            encoder.WriteNull();
            return;
        }

        // Each branch is a JIT-time constant for the closed generic type: no type tests at run time.
        var value = _values[row];
        if (typeof(T) == typeof(int))
        {
            encoder.WriteInt32((int)(object)value);
        }
        else if (typeof(T) == typeof(long))
        {
            encoder.WriteInt64((long)(object)value);
        }
        else if (typeof(T) == typeof(double))
        {
            encoder.WriteDouble((double)(object)value);
        }
        else if (typeof(T) == typeof(bool))
        {
            encoder.WriteBool((bool)(object)value);
        }
        else if (typeof(T) == typeof(DateTime))
        {
            encoder.WriteTimestamp((DateTime)(object)value);
        }
        else if (typeof(T) == typeof(DateOnly))
        {
            encoder.WriteDate((DateOnly)(object)value);
        }
        else if (typeof(T) == typeof(Guid))
        {
            encoder.WriteUuid((Guid)(object)value);
        }
        else if (typeof(T) == typeof(decimal))
        {
            encoder.WriteNumeric((decimal)(object)value);
        }
        else
        {
            throw new InvalidOperationException($"No binary encoding for {typeof(T)}.");
        }
    }

    public override void Dispose()
    {
        ArrayPool<T>.Shared.Return(_values);
        base.Dispose();
    }
}

/// <summary>A column of UTF-8 text (text, or jsonb's JSON text) held in the batch's byte arena.</summary>
internal sealed class TextColumnBuffer : ColumnBuffer
{
    private readonly TextRef[] _values;
    private readonly RowBatch _batch;
    private readonly bool _jsonb;

    public TextColumnBuffer(Column column, int capacity, RowBatch batch)
        : base(column, capacity)
    {
        _values = ArrayPool<TextRef>.Shared.Rent(capacity);
        _batch = batch;
        _jsonb = column.Type == ColumnType.Jsonb;
    }

    public void Set(int row, TextRef value)
    {
        _values[row] = value;
        Nulls[row] = false;
    }

    public ReadOnlySpan<byte> Get(int row) => _batch.Text(_values[row]);

    // Byte order of UTF-8 is code point order: a consistent order, which is all sorting needs.
    public override int CompareRows(int a, int b) =>
        Nulls[a] || Nulls[b] ? Nulls[b].CompareTo(Nulls[a]) : _batch.Text(_values[a]).SequenceCompareTo(_batch.Text(_values[b]));

    public override int EncodedLength(int row) => 4 + (Nulls[row] ? 0 : _values[row].Length + 1);

    public override void Encode(ref PgCopyEncoder encoder, int row)
    {
        if (Nulls[row])
        {
            encoder.WriteNull();
        }
        else if (_jsonb)
        {
            encoder.WriteJsonb(_batch.Text(_values[row]));
        }
        else
        {
            encoder.WriteText(_batch.Text(_values[row]));
        }
    }

    public override void Dispose()
    {
        ArrayPool<TextRef>.Shared.Return(_values);
        base.Dispose();
    }
}

/// <summary>Where a text value is in its batch's byte arena.</summary>
/// <param name="Start">Offset in the arena.</param>
/// <param name="Length">Length in bytes.</param>
internal readonly record struct TextRef(int Start, int Length);
