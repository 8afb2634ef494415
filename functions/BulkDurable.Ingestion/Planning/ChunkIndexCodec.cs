using System.Buffers.Binary;

namespace BulkDurable.Ingestion.Planning;

/// <summary>
/// The chunk index format: one fixed-size little-endian entry per chunk, so chunk <c>i</c> (or a
/// range of them) is one ranged blob read away however many chunks a job has.
/// </summary>
internal static class ChunkIndexCodec
{
    /// <summary>Bytes per entry: offset (8), length (4), first record (8), first line (8), record count (4).</summary>
    public const int EntrySize = 32;

    public static void Write(Span<byte> destination, ChunkDescriptor chunk)
    {
        BinaryPrimitives.WriteInt64LittleEndian(destination, chunk.Offset);
        BinaryPrimitives.WriteInt32LittleEndian(destination[8..], chunk.Length);
        BinaryPrimitives.WriteInt64LittleEndian(destination[12..], chunk.FirstRecord);
        BinaryPrimitives.WriteInt64LittleEndian(destination[20..], chunk.FirstLine);
        BinaryPrimitives.WriteInt32LittleEndian(destination[28..], chunk.RecordCount);
    }

    public static ChunkDescriptor Read(ReadOnlySpan<byte> source, string jobId, int index) => new(
        jobId,
        index,
        BinaryPrimitives.ReadInt64LittleEndian(source),
        BinaryPrimitives.ReadInt32LittleEndian(source[8..]),
        BinaryPrimitives.ReadInt64LittleEndian(source[12..]),
        BinaryPrimitives.ReadInt64LittleEndian(source[20..]),
        BinaryPrimitives.ReadInt32LittleEndian(source[28..]));
}
