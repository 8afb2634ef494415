using BulkDurable.Ingestion.Streams;

namespace BulkDurable.Functions.Http;

/// <summary>A forward-only read stream: the bytes already read from a stream, then the rest of it.</summary>
internal sealed class PrefixedReadStream(byte[] prefix, int prefixLength, Stream rest) : ForwardReadStream
{
    private int _prefixRead;

    protected override int ReadCore(Span<byte> buffer) =>
        _prefixRead < prefixLength ? CopyPrefix(buffer) : rest.Read(buffer);

    protected override ValueTask<int> ReadCoreAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
        _prefixRead < prefixLength ? ValueTask.FromResult(CopyPrefix(buffer.Span)) : rest.ReadAsync(buffer, cancellationToken);

    private int CopyPrefix(Span<byte> destination)
    {
        var count = Math.Min(destination.Length, prefixLength - _prefixRead);
        prefix.AsSpan(_prefixRead, count).CopyTo(destination);
        _prefixRead += count;
        return count;
    }
}
