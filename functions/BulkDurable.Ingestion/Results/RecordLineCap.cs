namespace BulkDurable.Ingestion.Results;

/// <summary>
/// A write-only stream in front of an NDJSON file that keeps whole lines only while the file is
/// under its limits: a line is kept when it starts with fewer than <c>maxLines</c> lines and
/// <c>maxBytes</c> bytes written, so the file ends on a complete line and exceeds the byte limit by
/// at most one record. Later lines are counted and dropped.
/// </summary>
internal sealed class RecordLineCap : Stream
{
    private readonly Stream _inner;
    private readonly long _maxLines;
    private readonly long _maxBytes;
    private bool _inLine;
    private bool _keepingLine;

    /// <param name="inner">The file; it stays open when this stream is disposed.</param>
    /// <param name="maxLines">Most lines kept.</param>
    /// <param name="maxBytes">Bytes after which no new line is started.</param>
    public RecordLineCap(Stream inner, long maxLines, long maxBytes)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentOutOfRangeException.ThrowIfNegative(maxLines);
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        _inner = inner;
        _maxLines = maxLines;
        _maxBytes = maxBytes;
    }

    /// <summary>Complete lines kept.</summary>
    public long LinesKept { get; private set; }

    /// <summary>Lines dropped (a dropped line counts from its first byte).</summary>
    public long LinesDropped { get; private set; }

    /// <summary>Bytes passed to the file.</summary>
    public long BytesKept { get; private set; }

    /// <summary>Whether no further line will be kept: writers may stop producing them.</summary>
    public bool IsFull => !_inLine && !HasRoom;

    private bool HasRoom => LinesKept < _maxLines && BytesKept < _maxBytes;

    /// <inheritdoc />
    public override bool CanRead => false;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => true;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Position
    {
        get => BytesKept;
        set => throw new NotSupportedException();
    }

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            var kept = Take(ref buffer);
            if (!kept.IsEmpty)
            {
                _inner.Write(kept);
            }
        }
    }

    /// <inheritdoc />
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        // Consecutive kept lines go to the file in one write.
        var start = buffer;
        var keptLength = 0;
        while (!buffer.IsEmpty)
        {
            var before = buffer.Length;
            var span = buffer.Span;
            var kept = Take(ref span);
            var consumed = before - span.Length;
            if (kept.IsEmpty)
            {
                if (keptLength > 0)
                {
                    await _inner.WriteAsync(start[..keptLength], cancellationToken).ConfigureAwait(false);
                    keptLength = 0;
                }

                buffer = buffer[consumed..];
                start = buffer;
            }
            else
            {
                keptLength += consumed;
                buffer = buffer[consumed..];
            }
        }

        if (keptLength > 0)
        {
            await _inner.WriteAsync(start[..keptLength], cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public override void Flush() => _inner.Flush();

    /// <inheritdoc />
    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>
    /// Consumes the rest of the current line (or up to the end of <paramref name="buffer"/>) and
    /// returns the part of it that is kept: all of it or nothing.
    /// </summary>
    private ReadOnlySpan<byte> Take(ref ReadOnlySpan<byte> buffer)
    {
        if (!_inLine)
        {
            _inLine = true;
            _keepingLine = HasRoom;
            if (!_keepingLine)
            {
                LinesDropped++;
            }
        }

        var newline = buffer.IndexOf((byte)'\n');
        var length = newline < 0 ? buffer.Length : newline + 1;
        var part = buffer[..length];
        buffer = buffer[length..];
        if (newline >= 0)
        {
            _inLine = false;
            if (_keepingLine)
            {
                LinesKept++;
            }
        }

        if (!_keepingLine)
        {
            return [];
        }

        BytesKept += part.Length;
        return part;
    }
}
