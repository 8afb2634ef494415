using System.Buffers;
using BulkDurable.Ingestion.Planning;
using BulkDurable.Ingestion.Records;

namespace BulkDurable.Ingestion.Loading;

/// <summary>
/// One chunk after download and validation: its bytes (pooled), the valid rows, and the records
/// validation refused. Disposing returns the pooled memory.
/// </summary>
internal sealed class ParsedChunk(ChunkDescriptor chunk, byte[] bytes, RowBatch rows) : IDisposable
{
    public ChunkDescriptor Chunk { get; } = chunk;

    public RowBatch Rows { get; } = rows;

    public ReadOnlyMemory<byte> Bytes => bytes.AsMemory(0, Chunk.Length);

    public List<Rejection> Rejections { get; } = [];

    public void Dispose()
    {
        Rows.Dispose();
        ArrayPool<byte>.Shared.Return(bytes);
    }
}

/// <summary>A refused record, pointing at its original bytes in the chunk.</summary>
/// <param name="RecordNumber">1-based record number in the payload.</param>
/// <param name="Line">1-based line of the fault.</param>
/// <param name="Field">The field at fault, if any.</param>
/// <param name="Error">Why.</param>
/// <param name="Source">Where the record's bytes are in the chunk.</param>
internal readonly record struct Rejection(long RecordNumber, long Line, string? Field, string Error, Range Source);
