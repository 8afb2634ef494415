using System.Buffers;
using Azure;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using BulkDurable.Ingestion.Streams;

namespace BulkDurable.Ingestion.Staging;

/// <summary>
/// Reads a blob front to back with several ranged downloads in flight, so that a sequential
/// scan (planning) is not paced by one request's latency at a time. Every range is conditioned on
/// the ETag, so the bytes all come from one version of the blob. Memory is
/// <c>blockSize × prefetch</c>, whatever the blob's size.
/// </summary>
internal sealed class PrefetchingBlobStream : ForwardReadStream
{
    private readonly BlobBaseClient _blob;
    private readonly long _length;
    private readonly ETag _etag;
    private readonly int _blockSize;
    private readonly int _prefetch;
    private readonly Queue<Task<Block>> _pending = new();
    private readonly CancellationTokenSource _cancellation = new();
    private long _nextOffset;
    private Block? _current;
    private int _currentOffset;
    private bool _disposed;

    public PrefetchingBlobStream(BlobBaseClient blob, long length, ETag etag, int blockSize = 16 << 20, int prefetch = 2)
    {
        ArgumentNullException.ThrowIfNull(blob);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        _blob = blob;
        _length = length;
        _etag = etag;
        _blockSize = blockSize;
        _prefetch = prefetch;
    }

    public override long Length => _length;

    protected override async ValueTask<int> ReadCoreAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (_current is null || _currentOffset == _current.Length)
        {
            if (_current is not null)
            {
                ArrayPool<byte>.Shared.Return(_current.Buffer);
                _current = null;
            }

            Schedule();
            if (_pending.Count == 0)
            {
                return 0;
            }

            _current = await _pending.Dequeue().WaitAsync(cancellationToken).ConfigureAwait(false);
            _currentOffset = 0;
            Schedule();
        }

        var count = Math.Min(buffer.Length, _current.Length - _currentOffset);
        _current.Buffer.AsMemory(_currentOffset, count).CopyTo(buffer);
        _currentOffset += count;
        return count;
    }

    public override async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _cancellation.CancelAsync().ConfigureAwait(false);
        while (_pending.Count > 0)
        {
            try
            {
                ArrayPool<byte>.Shared.Return((await _pending.Dequeue().ConfigureAwait(false)).Buffer);
            }
            catch (Exception ex) when (ex is OperationCanceledException or RequestFailedException or IOException)
            {
                // A prefetch nobody will read.
            }
        }

        if (_current is not null)
        {
            ArrayPool<byte>.Shared.Return(_current.Buffer);
            _current = null;
        }

        _cancellation.Dispose();
        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        base.Dispose(disposing);
    }

    private void Schedule()
    {
        while (_pending.Count < _prefetch && _nextOffset < _length)
        {
            var offset = _nextOffset;
            var length = (int)Math.Min(_blockSize, _length - offset);
            _nextOffset += length;
            _pending.Enqueue(DownloadAsync(offset, length, _cancellation.Token));
        }
    }

    private async Task<Block> DownloadAsync(long offset, int length, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var response = await _blob.DownloadStreamingAsync(
                new BlobDownloadOptions { Range = new HttpRange(offset, length), Conditions = new BlobRequestConditions { IfMatch = _etag } },
                cancellationToken).ConfigureAwait(false);
            var content = response.Value.Content;
            await using (content.ConfigureAwait(false))
            {
                await content.ReadExactlyAsync(buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
            }

            return new Block(buffer, length);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    private sealed record Block(byte[] Buffer, int Length);
}
