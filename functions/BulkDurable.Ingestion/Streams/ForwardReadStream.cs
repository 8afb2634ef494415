namespace BulkDurable.Ingestion.Streams;

/// <summary>
/// Base for the forward-only read streams of the pipeline (hashing, limiting, decoding, prefetching):
/// it owns the <see cref="Stream"/> plumbing (no seeking, no writing, every read overload funnelled
/// into one), counts the bytes handed out and lets a derived stream look at each read once.
/// </summary>
public abstract class ForwardReadStream : Stream
{
    /// <summary>Bytes handed out so far.</summary>
    public long BytesRead { get; private set; }

    /// <inheritdoc />
    public sealed override bool CanRead => true;

    /// <inheritdoc />
    public sealed override bool CanSeek => false;

    /// <inheritdoc />
    public sealed override bool CanWrite => false;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public sealed override long Position
    {
        get => BytesRead;
        set => throw new NotSupportedException();
    }

    /// <inheritdoc />
    public sealed override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    public sealed override int Read(Span<byte> buffer)
    {
        var read = ReadCore(buffer);
        Advance(buffer[..read]);
        return read;
    }

    /// <inheritdoc />
    public sealed override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public sealed override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var pending = ReadCoreAsync(buffer, cancellationToken);
        if (pending.IsCompletedSuccessfully)
        {
            // Most reads are served from a buffer: no state machine for them.
            var read = pending.Result;
            Advance(buffer.Span[..read]);
            return ValueTask.FromResult(read);
        }

        return AwaitAsync(pending, buffer);
    }

    /// <inheritdoc />
    public sealed override void Flush()
    {
    }

    /// <inheritdoc />
    public sealed override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public sealed override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    public sealed override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <summary>Reads into <paramref name="buffer"/>; 0 at the end of the stream.</summary>
    /// <remarks>Streams whose source is only read asynchronously (blobs, gzip over a blob) keep this default.</remarks>
    protected virtual int ReadCore(Span<byte> buffer) =>
        throw new NotSupportedException($"{GetType().Name} is read asynchronously: use ReadAsync.");

    /// <summary>Reads into <paramref name="buffer"/>; 0 at the end of the stream.</summary>
    protected abstract ValueTask<int> ReadCoreAsync(Memory<byte> buffer, CancellationToken cancellationToken);

    /// <summary>
    /// Sees every read once, after <see cref="BytesRead"/> has counted it; throwing here fails the read.
    /// </summary>
    /// <param name="data">The bytes just read (empty at the end of the stream).</param>
    protected virtual void OnRead(ReadOnlySpan<byte> data)
    {
    }

    private void Advance(ReadOnlySpan<byte> data)
    {
        BytesRead += data.Length;
        OnRead(data);
    }

    private async ValueTask<int> AwaitAsync(ValueTask<int> pending, Memory<byte> buffer)
    {
        var read = await pending.ConfigureAwait(false);
        Advance(buffer.Span[..read]);
        return read;
    }
}
