using System.Buffers;
using BulkDurable.Ingestion.Planning;
using BulkDurable.Ingestion.Records;

namespace BulkDurable.Ingestion.Loading;

/// <summary>
/// One chunk after validation: its bytes, the valid rows, and the records validation refused.
/// Disposing returns the rows' memory, and the bytes when they were downloaded (pooled) for it.
/// </summary>
internal sealed class ParsedChunk(ChunkDescriptor chunk, ReadOnlyMemory<byte> bytes, byte[]? pooledBytes, RowBatch rows) : IDisposable
{
    public ChunkDescriptor Chunk { get; } = chunk;

    public RowBatch Rows { get; } = rows;

    public ReadOnlyMemory<byte> Bytes { get; } = bytes;

    public List<Rejection> Rejections { get; } = [];

    public void Dispose()
    {
        Rows.Dispose();
        if (pooledBytes is not null)
        {
            ArrayPool<byte>.Shared.Return(pooledBytes);
        }
    }
}

/// <summary>A refused record, pointing at its original bytes in the chunk.</summary>
/// <param name="RecordNumber">1-based record number in the payload.</param>
/// <param name="Line">1-based line of the fault.</param>
/// <param name="Field">The field at fault, if any.</param>
/// <param name="Error">Why.</param>
/// <param name="Source">Where the record's bytes are in the chunk.</param>
internal readonly record struct Rejection(long RecordNumber, long Line, string? Field, string Error, Range Source);
