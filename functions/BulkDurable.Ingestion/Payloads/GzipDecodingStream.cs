using System.IO.Compression;
using BulkDurable.Ingestion.Streams;

namespace BulkDurable.Ingestion.Payloads;

/// <summary>
/// Decompresses gzip while guarding against decompression bombs: the output may not exceed a size
/// limit, nor (past the first MiB) a ratio to the compressed bytes consumed. A corrupt stream, or
/// one that ends before its last member's trailer (a truncated upload), becomes a
/// <see cref="PayloadRejectedException"/>: a cut payload is never taken for a shorter one.
/// </summary>
internal sealed class GzipDecodingStream : ForwardReadStream
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

    protected override async ValueTask<int> ReadCoreAsync(Memory<byte> buffer, CancellationToken cancellationToken)
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
        }

        return read;
    }

    protected override void OnRead(ReadOnlySpan<byte> data)
    {
        _trailer.Append(data);
        if (BytesRead > _maxBytes)
        {
            throw new PayloadRejectedException(
                new Scanning.PayloadProblem(0, $"the decompressed payload exceeds the limit of {_maxBytes:N0} bytes", IsFatal: true));
        }

        if (BytesRead > RatioFloorBytes && BytesRead > (double)_maxRatio * Math.Max(_compressed.BytesRead, 1))
        {
            throw new PayloadRejectedException(
                new Scanning.PayloadProblem(0, $"the gzip stream expands more than {_maxRatio}:1 (a decompression bomb?)", IsFatal: true));
        }
    }

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
                    $"the gzip stream is truncated (or followed by data that is not gzip): its last bytes, after {_compressed.BytesRead:N0} compressed and {BytesRead:N0} decompressed, are not the trailer of its last member; upload the complete file",
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
    private sealed class CountingStream(Stream inner) : PassThroughReadStream(inner, leaveOpen: false)
    {
        private readonly byte[] _tail = new byte[GzipTrailerCheck.TrailerSize];
        private int _tailLength;

        /// <summary>The last bytes read (up to <see cref="GzipTrailerCheck.TrailerSize"/>).</summary>
        public ReadOnlySpan<byte> Tail => _tail.AsSpan(0, _tailLength);

        protected override void OnRead(ReadOnlySpan<byte> data)
        {
            if (data.Length >= _tail.Length)
            {
                data[^_tail.Length..].CopyTo(_tail);
                _tailLength = _tail.Length;
                return;
            }

            var keep = Math.Min(_tailLength, _tail.Length - data.Length);
            _tail.AsSpan(_tailLength - keep, keep).CopyTo(_tail);
            data.CopyTo(_tail.AsSpan(keep));
            _tailLength = keep + data.Length;
        }
    }
}
