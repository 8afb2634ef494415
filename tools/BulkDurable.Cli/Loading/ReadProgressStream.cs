using BulkDurable.Ingestion.Streams;

namespace BulkDurable.Cli.Loading;

/// <summary>A forward-only read stream that reports how many bytes have been read so far (upload progress).</summary>
internal sealed class ReadProgressStream(Stream inner, Action<long> onRead) : PassThroughReadStream(inner, leaveOpen: true)
{
    protected override void OnRead(ReadOnlySpan<byte> data) => onRead(BytesRead);
}
