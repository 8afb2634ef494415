using System.IO.Compression;

namespace BulkDurable.Ingestion.Payloads;

/// <summary>
/// Decompresses gzip while guarding against decompression bombs: the output may not exceed a size
/// limit, nor (past the first MiB) a ratio to the compressed bytes consumed. A corrupt stream
/// becomes a <see cref="PayloadRejectedException"/>.
/// </summary>
internal sealed class GzipDecodingStream : Stream
{
    private const long RatioFloorBytes = 1 << 20;

    private readonly CountingStream _compressed;
    private readonly GZipStream _gzip;
    private readonly long _maxBytes;
    private readonly int _maxRatio;

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

    private sealed class CountingStream(Stream inner) : Stream
    {
        public long BytesRead { get; private set; }

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
            BytesRead += read;
            return read;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            BytesRead += read;
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
