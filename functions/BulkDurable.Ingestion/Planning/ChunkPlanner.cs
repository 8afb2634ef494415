using System.Buffers;
using System.Diagnostics;
using Azure;
using Azure.Storage.Blobs.Models;
using BulkDurable.Ingestion.Catalog;
using BulkDurable.Ingestion.Configuration;
using BulkDurable.Ingestion.Diagnostics;
using BulkDurable.Ingestion.Jobs;
using BulkDurable.Ingestion.Payloads;
using BulkDurable.Ingestion.Payloads.Scanning;
using BulkDurable.Ingestion.Records;
using BulkDurable.Ingestion.Serialization;
using BulkDurable.Ingestion.Staging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BulkDurable.Ingestion.Planning;

/// <summary>
/// Splits a staged payload into chunks. The payload is streamed once through a
/// <see cref="RecordScanner"/>; chunk descriptors go to the chunk index as they are found, records
/// that cannot be loaded at all (oversized, malformed) to the plan's rejections, and a compressed
/// payload is decoded into a blob of its own so chunks can be read by byte range. Memory stays at
/// one window (the dataset's record limit plus a read buffer; plus one chunk when chunks are handed
/// over) whatever the payload size. Planning is idempotent: once a manifest exists it is returned
/// as is, and planning again gives the same chunks (<see cref="PlanSettings"/>).
/// </summary>
public sealed class ChunkPlanner(
    IngestionBlobStore store,
    DatasetCatalog catalog,
    IOptions<IngestionOptions> options,
    IngestionTelemetry telemetry,
    IFaultInjector faults,
    TimeProvider timeProvider,
    ILogger<ChunkPlanner> logger)
{
    private const int ReadSize = 4 << 20;
    private const int TransferSize = 8 << 20;

    /// <summary>Plans a job, or returns its existing plan.</summary>
    /// <param name="job">The job, as accepted.</param>
    /// <param name="settings">Where chunk boundaries fall.</param>
    /// <param name="onChunk">
    /// When given (and the payload is not compressed), receives each chunk with its bytes as soon as
    /// it is cut, before the plan is complete; the receiver disposes it. A slow receiver slows planning.
    /// </param>
    /// <param name="cancellationToken">Cancels planning.</param>
    /// <exception cref="PayloadRejectedException">The payload cannot be loaded at all (permanent).</exception>
    public async Task<JobManifest> PlanAsync(JobDescriptor job, PlanSettings settings, Func<PlannedChunk, CancellationToken, ValueTask>? onChunk, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(settings);
        var existing = await ReadManifestAsync(job.JobId, cancellationToken).ConfigureAwait(false);
        if (existing is not null)
        {
            Log.PlanReused(logger, job.JobId, existing.ChunkCount);
            return existing;
        }

        var dataset = catalog.Get(job.Dataset);
        using var activity = telemetry.StartPlan(job.JobId, dataset.Name);
        var started = Stopwatch.GetTimestamp();
        var attemptId = JobIds.New();
        try
        {
            var manifest = await PlanOnceAsync(job, dataset, settings, attemptId, onChunk, cancellationToken).ConfigureAwait(false);
            var winner = (await store.WriteJsonIfAbsentAsync(BlobLayout.Manifest(job.JobId), manifest, IngestionJsonContext.Default.JobManifest, cancellationToken).ConfigureAwait(false)).Value;
            await faults.ReachedAsync(FaultPoint.JobPlanned, job.JobId, null, cancellationToken).ConfigureAwait(false);
            if (winner.AttemptId != attemptId)
            {
                await DeletePlanFilesAsync(job.JobId, attemptId).ConfigureAwait(false);
            }

            var elapsed = Stopwatch.GetElapsedTime(started);
            telemetry.RecordPlan(dataset.Name, winner.SourceBytes, elapsed);
            Log.Planned(logger, job.JobId, winner.ChunkCount, winner.RecordCount, winner.PlanRejectedCount, winner.SourceBytes, (long)elapsed.TotalMilliseconds);
            return winner;
        }
        catch (PayloadRejectedException ex)
        {
            Log.PayloadRejected(logger, job.JobId, ex.Message);
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            await DeletePlanFilesAsync(job.JobId, attemptId).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Reads a job's manifest, or <see langword="null"/> when the job has not been planned.</summary>
    public Task<JobManifest?> ReadManifestAsync(string jobId, CancellationToken cancellationToken) =>
        store.ReadJsonAsync(BlobLayout.Manifest(jobId), IngestionJsonContext.Default.JobManifest, cancellationToken);

    private async Task<JobManifest> PlanOnceAsync(
        JobDescriptor job,
        Dataset dataset,
        PlanSettings settings,
        string attemptId,
        Func<PlannedChunk, CancellationToken, ValueTask>? onChunk,
        CancellationToken cancellationToken)
    {
        var payload = store.Blob(job.PayloadBlob);
        BlobProperties properties;
        try
        {
            properties = (await payload.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            throw new PayloadRejectedException(new PayloadProblem(0, $"the payload blob '{job.PayloadBlob}' does not exist", IsFatal: true), ex);
        }

        var payloadETag = properties.ETag;
        if (job.PayloadETag is { } submitted && new ETag(submitted) != payloadETag)
        {
            throw new PayloadRejectedException(new PayloadProblem(0, "the upload was written again after the job was submitted: the job loads only the version it was submitted with; submit the upload again as a new job", IsFatal: true));
        }

        var raw = new PrefetchingBlobStream(payload, properties.ContentLength, payloadETag);
        await using var rawScope = raw.ConfigureAwait(false);

        var ingestion = options.Value;
        var decode = job.Compression == PayloadCompression.Gzip;
        var sourceBlob = decode ? BlobLayout.DecodedPayload(job.JobId, attemptId) : job.PayloadBlob;
        Stream source = decode ? new GzipDecodingStream(raw, ingestion.MaxPayloadBytes, ingestion.MaxGzipExpansionRatio) : raw;
        await using var sourceScope = source.ConfigureAwait(false);
        var decodedCopy = decode
            ? await store.Blob(sourceBlob).OpenWriteAsync(overwrite: true, new BlockBlobOpenWriteOptions { BufferSize = TransferSize }, cancellationToken).ConfigureAwait(false)
            : null;

        // Chunks are handed over only when every fatal problem of the payload shows before the
        // first chunk does (a gzip stream can turn out corrupt at its very end), so that a payload
        // that cannot be loaded never has part of it loaded.
        var handOver = decode ? null : onChunk;
        var planId = settings.PlanIdFor(job);
        var scan = new PlanScan(job, dataset, settings, new PlanOutput(store, job.JobId, attemptId, settings, ingestion, faults), handOver);
        await using (scan.Output.ConfigureAwait(false))
        {
            PayloadProblem? problem;
            try
            {
                problem = await scan.RunAsync(source, decodedCopy, new PlanContext(job.JobId, planId, dataset.Name, job.Format, null, sourceBlob, payloadETag.ToString()), cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                if (decodedCopy is not null)
                {
                    await decodedCopy.DisposeAsync().ConfigureAwait(false);
                }
            }

            if (problem is { IsFatal: true })
            {
                throw new PayloadRejectedException(problem);
            }

            await scan.Output.CompleteAsync(cancellationToken).ConfigureAwait(false);
            var sourceETag = decode
                ? (await store.Blob(sourceBlob).GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value.ETag
                : payloadETag;
            return new JobManifest(
                job.JobId,
                planId,
                attemptId,
                dataset.Name,
                job.Format,
                sourceBlob,
                sourceETag.ToString(),
                scan.SourceBytes,
                scan.Output.ChunkCount,
                scan.Output.RecordCount,
                scan.Output.RejectedCount,
                scan.Header?.Fields,
                problem is null ? [] : [problem],
                timeProvider.GetUtcNow());
        }
    }

    private async Task DeletePlanFilesAsync(string jobId, string attemptId)
    {
        try
        {
            await foreach (var blob in store.Container.GetBlobsAsync(new GetBlobsOptions { Prefix = BlobLayout.PlanFolder(jobId, attemptId) }).ConfigureAwait(false))
            {
                await store.DeleteIfExistsAsync(blob.Name, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (RequestFailedException)
        {
            // Best effort: an orphaned plan folder costs storage, not correctness.
        }
    }

    /// <summary>
    /// One pass over the payload: a window of the stream fed to the scanner, records to the plan
    /// output. When chunks are handed over, the window keeps the open chunk's bytes too, so a chunk
    /// can be copied out the moment it is cut.
    /// </summary>
    private sealed class PlanScan
    {
        private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];

        private readonly JobDescriptor _job;
        private readonly Dataset _dataset;
        private readonly Func<PlannedChunk, CancellationToken, ValueTask>? _onChunk;
        private readonly byte[] _window;
        private long _windowOffset;
        private int _filled;
        private PlanContext? _context;

        public PlanScan(JobDescriptor job, Dataset dataset, PlanSettings settings, PlanOutput output, Func<PlannedChunk, CancellationToken, ValueTask>? onChunk)
        {
            _job = job;
            _dataset = dataset;
            _onChunk = onChunk;
            Output = output;

            // The scanner retains at most one record (longer ones are skipped, not kept); a handed-over
            // chunk is at most ChunkBytes plus its last record.
            var windowSize = settings.MaxRecordBytes + ReadSize + (onChunk is null ? 0 : settings.ChunkBytes + settings.MaxRecordBytes);
            _window = ArrayPool<byte>.Shared.Rent(windowSize);
            if (onChunk is not null)
            {
                Output.ChunkFlushed = HandOverAsync;
            }
        }

        public PlanOutput Output { get; }

        public CsvHeader? Header { get; private set; }

        public long SourceBytes { get; private set; }

        /// <summary>Scans the payload; returns the payload-level problem found, if any.</summary>
        public async Task<PayloadProblem?> RunAsync(Stream source, Stream? decodedCopy, PlanContext context, CancellationToken cancellationToken)
        {
            try
            {
                var endOfStream = await FillAsync(source, decodedCopy, cancellationToken).ConfigureAwait(false);
                var start = _window.AsSpan(0, _filled).StartsWith(Utf8Bom) ? Utf8Bom.Length : 0;
                var scanner = RecordScanner.Create(_job.Format, ScanScope.Payload, _dataset.MaxRecordBytes, start);
                _context = context;
                var sawAnyRecord = false;
                while (true)
                {
                    var status = scanner.Next(_window.AsSpan(0, _filled), _windowOffset, endOfStream, out var record);
                    if (status == ScanStatus.End)
                    {
                        break;
                    }

                    if (status == ScanStatus.NeedMoreData)
                    {
                        var retainFrom = Math.Min(scanner.RetainFrom, _onChunk is null ? long.MaxValue : Output.OpenChunkStart ?? long.MaxValue);
                        var keep = (int)(retainFrom - _windowOffset);
                        _window.AsSpan(keep, _filled - keep).CopyTo(_window);
                        _windowOffset += keep;
                        _filled -= keep;
                        endOfStream = await FillAsync(source, decodedCopy, cancellationToken).ConfigureAwait(false);
                        continue;
                    }

                    sawAnyRecord = true;
                    if (_job.Format == PayloadFormat.Csv && Header is null)
                    {
                        if (record.Kind != ScannedRecordKind.Record)
                        {
                            return new PayloadProblem(record.Line, "CSV header: " + record.Error, IsFatal: true);
                        }

                        if (!CsvHeader.TryParse(Slice(record), record.Line, _dataset, out var header, out var headerProblem))
                        {
                            return headerProblem;
                        }

                        Header = header;
                        _context = context with { CsvFields = header.Fields };
                        continue;
                    }

                    if (record.Kind == ScannedRecordKind.Record)
                    {
                        if (Output.AddRecord(record))
                        {
                            await Output.FlushChunkAsync(cancellationToken).ConfigureAwait(false);
                        }

                        continue;
                    }

                    var inWindow = record.Start >= _windowOffset;
                    var original = inWindow ? Slice(record) : scanner.SkippedPrefix;
                    await Output.RejectAsync(record, original.ToArray(), truncated: !inWindow || original.Length < record.Length, cancellationToken).ConfigureAwait(false);
                }

                // The last chunk is cut while its bytes are still in the window.
                await Output.FlushChunkAsync(cancellationToken).ConfigureAwait(false);
                var problem = scanner.Problem;
                if (problem is null && !sawAnyRecord && _job.Format != PayloadFormat.JsonArray)
                {
                    problem = new PayloadProblem(1, _job.Format == PayloadFormat.Csv ? "the payload is empty: expected a CSV header row" : "the payload is empty", IsFatal: true);
                }

                return problem;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(_window);
            }
        }

        private async ValueTask<bool> FillAsync(Stream source, Stream? decodedCopy, CancellationToken cancellationToken)
        {
            var read = await source.ReadAtLeastAsync(_window.AsMemory(_filled), _window.Length - _filled, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (decodedCopy is not null && read > 0)
            {
                await decodedCopy.WriteAsync(_window.AsMemory(_filled, read), cancellationToken).ConfigureAwait(false);
            }

            var endOfStream = read < _window.Length - _filled;
            _filled += read;
            SourceBytes += read;
            return endOfStream;
        }

        private ValueTask HandOverAsync(ChunkDescriptor chunk, CancellationToken cancellationToken) =>
            _onChunk!(new PlannedChunk(chunk, _context!, _window.AsSpan((int)(chunk.Offset - _windowOffset), chunk.Length)), cancellationToken);

        // Bounded by the bytes read, not by the pooled window's length: past them lie bytes an earlier
        // payload left in the array.
        private ReadOnlySpan<byte> Slice(ScannedRecord record) =>
            _window.AsSpan((int)(record.Start - _windowOffset), (int)Math.Min(record.Length, _filled - (record.Start - _windowOffset)));
    }
}
