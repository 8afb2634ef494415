using BulkDurable.Ingestion.Staging;

namespace BulkDurable.Ingestion.Api;

/// <summary>
/// A forward-only read stream that fails with <see cref="PayloadTooLargeException"/> as soon as
/// more than a limit has been read, so an oversized request body is refused while it streams
/// (chunked bodies have no <c>Content-Length</c> to check up front).
/// </summary>
public sealed class LengthLimitedReadStream : Stream
{
    private readonly Stream _inner;
    private readonly long _maxBytes;
    private readonly string _what;
    private long _read;

    /// <summary>Wraps <paramref name="inner"/>; it is not disposed with this stream.</summary>
    /// <param name="inner">The stream to read.</param>
    /// <param name="maxBytes">Most bytes allowed.</param>
    /// <param name="what">What the bytes are, for the error message (e.g. "request body").</param>
    public LengthLimitedReadStream(Stream inner, long maxBytes, string what = "request body")
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        _inner = inner;
        _maxBytes = maxBytes;
        _what = what;
    }

    /// <inheritdoc />
    public override bool CanRead => true;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => false;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    public override int Read(Span<byte> buffer) => Account(_inner.Read(buffer));

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Account(await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

    /// <inheritdoc />
    public override void Flush()
    {
    }

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int Account(int read)
    {
        _read += read;
        return _read > _maxBytes ? throw new PayloadTooLargeException(_maxBytes, _what) : read;
    }
}
