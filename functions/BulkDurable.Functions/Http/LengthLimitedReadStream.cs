using BulkDurable.Ingestion.Staging;
using BulkDurable.Ingestion.Streams;

namespace BulkDurable.Functions.Http;

/// <summary>
/// A forward-only read stream that fails with <see cref="PayloadTooLargeException"/> as soon as
/// more than a limit has been read, so an oversized request body is refused while it streams
/// (chunked bodies have no <c>Content-Length</c> to check up front).
/// </summary>
public sealed class LengthLimitedReadStream : PassThroughReadStream
{
    private readonly long _maxBytes;
    private readonly string _what;

    /// <summary>Wraps <paramref name="inner"/>; it is not disposed with this stream.</summary>
    /// <param name="inner">The stream to read.</param>
    /// <param name="maxBytes">Most bytes allowed.</param>
    /// <param name="what">What the bytes are, for the error message (e.g. "request body").</param>
    public LengthLimitedReadStream(Stream inner, long maxBytes, string what = "request body")
        : base(inner, leaveOpen: true)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        _maxBytes = maxBytes;
        _what = what;
    }

    /// <inheritdoc />
    protected override void OnRead(ReadOnlySpan<byte> data)
    {
        if (BytesRead > _maxBytes)
        {
            throw new PayloadTooLargeException(_maxBytes, _what);
        }
    }
}
