using System.Buffers;
using BulkDurable.Ingestion.Catalog;
using Npgsql;
using NpgsqlTypes;

namespace BulkDurable.Ingestion.Records;

/// <summary>
/// One column of a <see cref="RowBatch"/>: a pooled array of typed values plus null flags, written
/// to binary COPY without boxing.
/// </summary>
internal abstract class ColumnBuffer : IDisposable
{
    protected ColumnBuffer(Column column, int capacity)
    {
        Column = column;
        Nulls = ArrayPool<bool>.Shared.Rent(capacity);
    }

    public Column Column { get; }

    protected bool[] Nulls { get; }

    public void SetNull(int row) => Nulls[row] = true;

    public bool IsNull(int row) => Nulls[row];

    /// <summary>Writes the value of one row to the importer's current row.</summary>
    public abstract Task WriteAsync(NpgsqlBinaryImporter importer, int row, CancellationToken cancellationToken);

    public virtual void Dispose() => ArrayPool<bool>.Shared.Return(Nulls);

    public static ColumnBuffer Create(Column column, int capacity) => column.Type switch
    {
        ColumnType.Text or ColumnType.Jsonb => new ColumnBuffer<ReadOnlyMemory<char>>(column, capacity),
        ColumnType.Int => new ColumnBuffer<int>(column, capacity),
        ColumnType.Bigint => new ColumnBuffer<long>(column, capacity),
        ColumnType.Numeric => new ColumnBuffer<decimal>(column, capacity),
        ColumnType.Double => new ColumnBuffer<double>(column, capacity),
        ColumnType.Bool => new ColumnBuffer<bool>(column, capacity),
        ColumnType.Timestamptz => new ColumnBuffer<DateTime>(column, capacity),
        ColumnType.Date => new ColumnBuffer<DateOnly>(column, capacity),
        ColumnType.Uuid => new ColumnBuffer<Guid>(column, capacity),
        _ => throw new ArgumentOutOfRangeException(nameof(column), column.Type, null),
    };
}

/// <inheritdoc cref="ColumnBuffer"/>
internal sealed class ColumnBuffer<T> : ColumnBuffer
{
    private readonly T[] _values;
    private readonly NpgsqlDbType _dbType;

    public ColumnBuffer(Column column, int capacity)
        : base(column, capacity)
    {
        _values = ArrayPool<T>.Shared.Rent(capacity);
        _dbType = column.Type.ToNpgsqlDbType();
    }

    public void Set(int row, T value)
    {
        _values[row] = value;
        Nulls[row] = false;
    }

    public T Get(int row) => _values[row];

    public override Task WriteAsync(NpgsqlBinaryImporter importer, int row, CancellationToken cancellationToken) =>
        Nulls[row] ? importer.WriteNullAsync(cancellationToken) : importer.WriteAsync(_values[row], _dbType, cancellationToken);

    public override void Dispose()
    {
        ArrayPool<T>.Shared.Return(_values, clearArray: System.Runtime.CompilerServices.RuntimeHelpers.IsReferenceOrContainsReferences<T>());
        base.Dispose();
    }
}
