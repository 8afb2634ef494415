using Azure.Storage.Blobs.Models;
using BulkDurable.Ingestion.Configuration;
using BulkDurable.Ingestion.Diagnostics;
using BulkDurable.Ingestion.Payloads.Scanning;
using BulkDurable.Ingestion.Results;
using BulkDurable.Ingestion.Staging;

namespace BulkDurable.Ingestion.Planning;

/// <summary>
/// Groups scanned records into chunks and streams the plan's files: chunk descriptors to the chunk
/// index, records rejected while planning to the plan's rejections. A chunk is a contiguous run of
/// loadable records; a rejected record always ends the chunk before it. The rejections file stops
/// at the failed-records file's limits: the merged file can never show more of it.
/// </summary>
internal sealed class PlanOutput(IngestionBlobStore store, string jobId, string attemptId, PlanSettings settings, IngestionOptions limits, IFaultInjector faults) : IAsyncDisposable
{
    private readonly byte[] _entry = new byte[ChunkIndexCodec.EntrySize];
    private Stream? _index;
    private Stream? _rejectionStream;
    private RecordLineCap? _rejectionCap;
    private RejectedRecordWriter? _rejections;

    private long _chunkStart;
    private long _chunkEnd;
    private long _chunkFirstRecord;
    private long _chunkFirstLine;
    private int _chunkRecords;

    public int ChunkCount { get; private set; }

    /// <summary>Records seen, rejected ones included: the next record's number minus one.</summary>
    public long RecordCount { get; private set; }

    public long RejectedCount { get; private set; }

    /// <summary>Where the chunk being filled starts, or null when none is open.</summary>
    public long? OpenChunkStart => _chunkRecords > 0 ? _chunkStart : null;

    /// <summary>Called with each chunk once its descriptor is in the index.</summary>
    public Func<ChunkDescriptor, CancellationToken, ValueTask>? ChunkFlushed { get; set; }

    /// <summary>Adds a loadable record to the current chunk; returns true when the chunk is full.</summary>
    public bool AddRecord(in ScannedRecord record)
    {
        RecordCount++;
        if (_chunkRecords == 0)
        {
            _chunkStart = record.Start;
            _chunkFirstRecord = RecordCount;
            _chunkFirstLine = record.Line;
        }

        _chunkEnd = record.Start + record.Length;
        _chunkRecords++;
        return _chunkRecords >= settings.ChunkRecords || _chunkEnd - _chunkStart >= settings.ChunkBytes;
    }

    public async ValueTask RejectAsync(ScannedRecord record, ReadOnlyMemory<byte> original, bool truncated, CancellationToken cancellationToken)
    {
        await FlushChunkAsync(cancellationToken).ConfigureAwait(false);
        RecordCount++;
        RejectedCount++;
        if (_rejections is null)
        {
            _rejectionStream = await store.Blob(BlobLayout.PlanRejections(jobId, attemptId))
                .OpenWriteAsync(overwrite: true, new BlockBlobOpenWriteOptions(), cancellationToken).ConfigureAwait(false);
            _rejectionCap = new RecordLineCap(_rejectionStream, limits.MaxRejectedRecords, limits.MaxFailedRecordsBytes);
            _rejections = new RejectedRecordWriter(_rejectionCap);
        }
        else if (_rejectionCap!.IsFull)
        {
            return;
        }

        await _rejections.WriteAsync(RecordCount, record.Line, null, record.Error ?? "record cannot be read", original, truncated, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        await FlushChunkAsync(cancellationToken).ConfigureAwait(false);
        await EnsureIndexAsync(cancellationToken).ConfigureAwait(false);
        await DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_rejections is not null)
        {
            await _rejections.DisposeAsync().ConfigureAwait(false);
            _rejections = null;
        }

        if (_rejectionStream is not null)
        {
            await _rejectionStream.DisposeAsync().ConfigureAwait(false);
            _rejectionStream = null;
        }

        if (_index is not null)
        {
            await _index.DisposeAsync().ConfigureAwait(false);
            _index = null;
        }
    }

    /// <summary>Writes the current chunk's descriptor to the index, if the chunk holds any record.</summary>
    public async ValueTask FlushChunkAsync(CancellationToken cancellationToken)
    {
        if (_chunkRecords == 0)
        {
            return;
        }

        await EnsureIndexAsync(cancellationToken).ConfigureAwait(false);
        var chunk = new ChunkDescriptor(jobId, ChunkCount, _chunkStart, checked((int)(_chunkEnd - _chunkStart)), _chunkFirstRecord, _chunkFirstLine, _chunkRecords);
        ChunkIndexCodec.Write(_entry, chunk);
        await _index!.WriteAsync(_entry, cancellationToken).ConfigureAwait(false);
        ChunkCount++;
        _chunkRecords = 0;
        await faults.ReachedAsync(FaultPoint.ChunkPlanned, jobId, chunk.Index, cancellationToken).ConfigureAwait(false);
        if (ChunkFlushed is { } flushed)
        {
            await flushed(chunk, cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask EnsureIndexAsync(CancellationToken cancellationToken) =>
        _index ??= await store.Blob(BlobLayout.ChunkIndex(jobId, attemptId))
            .OpenWriteAsync(overwrite: true, new BlockBlobOpenWriteOptions { BufferSize = 1 << 20 }, cancellationToken).ConfigureAwait(false);
}
