namespace BulkDurable.Ingestion.Streams;

/// <summary>
/// A forward-only read stream that hands out another stream's bytes unchanged, for streams that
/// only watch what passes (hash it, count it, limit it, report progress) in
/// <see cref="ForwardReadStream.OnRead"/>.
/// </summary>
/// <param name="inner">The stream read.</param>
/// <param name="leaveOpen">Whether <paramref name="inner"/> stays open when this stream is disposed.</param>
public abstract class PassThroughReadStream(Stream inner, bool leaveOpen) : ForwardReadStream
{
    private readonly Stream _inner = inner ?? throw new ArgumentNullException(nameof(inner));
    private bool _innerReleased = leaveOpen;

    /// <inheritdoc />
    protected sealed override int ReadCore(Span<byte> buffer) => _inner.Read(buffer);

    /// <inheritdoc />
    protected sealed override ValueTask<int> ReadCoreAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
        _inner.ReadAsync(buffer, cancellationToken);

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_innerReleased)
        {
            _innerReleased = true;
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        if (!_innerReleased)
        {
            _innerReleased = true;
            await _inner.DisposeAsync().ConfigureAwait(false);
        }

        await base.DisposeAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }
}
