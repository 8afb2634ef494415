using System.IO.Compression;

namespace BulkDurable.Ingestion.Payloads;

/// <summary>
/// Decompresses gzip while guarding against decompression bombs: the output may not exceed a size
/// limit, nor (past the first MiB) a ratio to the compressed bytes consumed. A corrupt stream, or
/// one that ends before its last member's trailer (a truncated upload), becomes a
/// <see cref="PayloadRejectedException"/>: a cut payload is never taken for a shorter one.
/// </summary>
internal sealed class GzipDecodingStream : Stream
{
    private const long RatioFloorBytes = 1 << 20;

    private readonly CountingStream _compressed;
    private readonly GZipStream _gzip;
    private readonly long _maxBytes;
    private readonly int _maxRatio;
    private readonly GzipTrailerCheck _trailer = new();
    private bool _verified;

    public GzipDecodingStream(Stream compressed, long maxBytes, int maxRatio)
    {
        _compressed = new CountingStream(compressed);
        _gzip = new GZipStream(_compressed, CompressionMode.Decompress);
        _maxBytes = maxBytes;
        _maxRatio = maxRatio;
    }

    public long BytesProduced { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => BytesProduced;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Use ReadAsync.");

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read;
        try
        {
            read = await _gzip.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException ex)
        {
            throw new PayloadRejectedException(
                new Scanning.PayloadProblem(0, $"the gzip stream is corrupt after {_compressed.BytesRead:N0} compressed bytes: {ex.Message}", IsFatal: true), ex);
        }

        if (read == 0 && !buffer.IsEmpty)
        {
            VerifyComplete();
            return 0;
        }

        _trailer.Append(buffer.Span[..read]);
        BytesProduced += read;
        if (BytesProduced > _maxBytes)
        {
            throw new PayloadRejectedException(
                new Scanning.PayloadProblem(0, $"the decompressed payload exceeds the limit of {_maxBytes:N0} bytes", IsFatal: true));
        }

        if (BytesProduced > RatioFloorBytes && BytesProduced > (double)_maxRatio * Math.Max(_compressed.BytesRead, 1))
        {
            throw new PayloadRejectedException(
                new Scanning.PayloadProblem(0, $"the gzip stream expands more than {_maxRatio}:1 (a decompression bomb?)", IsFatal: true));
        }

        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private void VerifyComplete()
    {
        if (_verified)
        {
            return;
        }

        if (!_trailer.EndsWithTrailer(_compressed.Tail))
        {
            throw new PayloadRejectedException(
                new Scanning.PayloadProblem(
                    0,
                    $"the gzip stream is truncated (or followed by data that is not gzip): its last bytes, after {_compressed.BytesRead:N0} compressed and {BytesProduced:N0} decompressed, are not the trailer of its last member; upload the complete file",
                    IsFatal: true));
        }

        _verified = true;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _gzip.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await _gzip.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Counts the compressed bytes read and keeps the last few (the trailer, once the stream ends).</summary>
    private sealed class CountingStream(Stream inner) : Stream
    {
        private readonly byte[] _tail = new byte[GzipTrailerCheck.TrailerSize];
        private int _tailLength;

        public long BytesRead { get; private set; }

        /// <summary>The last bytes read (up to <see cref="GzipTrailerCheck.TrailerSize"/>).</summary>
        public ReadOnlySpan<byte> Tail => _tail.AsSpan(0, _tailLength);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => BytesRead;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = inner.Read(buffer, offset, count);
            Record(buffer.AsSpan(offset, read));
            return read;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            Record(buffer.Span[..read]);
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private void Record(ReadOnlySpan<byte> read)
        {
            BytesRead += read.Length;
            if (read.Length >= _tail.Length)
            {
                read[^_tail.Length..].CopyTo(_tail);
                _tailLength = _tail.Length;
                return;
            }

            var keep = Math.Min(_tailLength, _tail.Length - read.Length);
            _tail.AsSpan(_tailLength - keep, keep).CopyTo(_tail);
            read.CopyTo(_tail.AsSpan(keep));
            _tailLength = keep + read.Length;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
