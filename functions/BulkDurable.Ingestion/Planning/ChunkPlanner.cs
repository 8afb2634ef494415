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
/// one window (the dataset's record limit plus a read buffer) whatever the payload size.
/// Planning is idempotent: once a manifest exists it is returned as is.
/// </summary>
public sealed class ChunkPlanner(
    IngestionBlobStore store,
    DatasetCatalog catalog,
    IOptions<IngestionOptions> options,
    IngestionTelemetry telemetry,
    IFaultInjector faults,
    ILogger<ChunkPlanner> logger)
{
    private const int ReadSize = 4 << 20;
    private const int TransferSize = 8 << 20;

    /// <summary>Plans a job, or returns its existing plan.</summary>
    /// <exception cref="PayloadRejectedException">The payload cannot be loaded at all (permanent).</exception>
    /// <exception cref="UnknownDatasetException">The job's dataset is not in the catalog (permanent).</exception>
    public async Task<JobManifest> PlanAsync(JobDescriptor job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var existing = await ReadManifestAsync(job.JobId, cancellationToken).ConfigureAwait(false);
        if (existing is not null)
        {
            Log.PlanReused(logger, job.JobId, existing.ChunkCount);
            return existing;
        }

        var dataset = catalog.Get(job.Dataset);
        using var activity = telemetry.StartPlan(job.JobId, dataset.Name);
        var started = Stopwatch.GetTimestamp();
        var planId = JobIds.New();
        try
        {
            var manifest = await PlanOnceAsync(job, dataset, planId, cancellationToken).ConfigureAwait(false);
            var winner = await store.WriteJsonIfAbsentAsync(BlobLayout.Manifest(job.JobId), manifest, IngestionJsonContext.Default.JobManifest, cancellationToken).ConfigureAwait(false);
            await faults.ReachedAsync(FaultPoint.JobPlanned, job.JobId, null, cancellationToken).ConfigureAwait(false);
            if (winner.PlanId != planId)
            {
                await DeletePlanFilesAsync(job.JobId, planId).ConfigureAwait(false);
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
            await DeletePlanFilesAsync(job.JobId, planId).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Reads a job's manifest, or <see langword="null"/> when the job has not been planned.</summary>
    public Task<JobManifest?> ReadManifestAsync(string jobId, CancellationToken cancellationToken) =>
        store.ReadJsonAsync(BlobLayout.Manifest(jobId), IngestionJsonContext.Default.JobManifest, cancellationToken);

    private async Task<JobManifest> PlanOnceAsync(JobDescriptor job, Dataset dataset, string planId, CancellationToken cancellationToken)
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
        var raw = new PrefetchingBlobStream(payload, properties.ContentLength, payloadETag);
        await using var rawScope = raw.ConfigureAwait(false);

        var ingestion = options.Value;
        var decode = job.Compression == PayloadCompression.Gzip;
        var sourceBlob = decode ? BlobLayout.DecodedPayload(job.JobId, planId) : job.PayloadBlob;
        Stream source = decode ? new GzipDecodingStream(raw, ingestion.MaxPayloadBytes, ingestion.MaxGzipExpansionRatio) : raw;
        await using var sourceScope = source.ConfigureAwait(false);
        var decodedCopy = decode
            ? await store.Blob(sourceBlob).OpenWriteAsync(overwrite: true, new BlockBlobOpenWriteOptions { BufferSize = TransferSize }, cancellationToken).ConfigureAwait(false)
            : null;

        var output = new PlanOutput(store, job.JobId, planId, ingestion, faults);
        await using (output.ConfigureAwait(false))
        {
            long sourceBytes;
            CsvHeader? header;
            PayloadProblem? problem;
            try
            {
                (sourceBytes, header, problem) = await ScanAsync(job, dataset, source, decodedCopy, output, cancellationToken).ConfigureAwait(false);
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

            await output.CompleteAsync(cancellationToken).ConfigureAwait(false);
            var sourceETag = decode
                ? (await store.Blob(sourceBlob).GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value.ETag
                : payloadETag;
            return new JobManifest(
                job.JobId,
                planId,
                dataset.Name,
                job.Format,
                sourceBlob,
                sourceETag.ToString(),
                sourceBytes,
                output.ChunkCount,
                output.RecordCount,
                output.RejectedCount,
                header?.Fields,
                problem is null ? [] : [problem],
                DateTimeOffset.UtcNow);
        }
    }

    private static async Task<(long SourceBytes, CsvHeader? Header, PayloadProblem? Problem)> ScanAsync(
        JobDescriptor job,
        Dataset dataset,
        Stream source,
        Stream? decodedCopy,
        PlanOutput output,
        CancellationToken cancellationToken)
    {
        // The window always holds the record being scanned, which is at most MaxRecordBytes long
        // (longer ones are skipped, not retained), plus room for the next read.
        var window = ArrayPool<byte>.Shared.Rent(dataset.MaxRecordBytes + ReadSize);
        try
        {
            long windowOffset = 0;
            var filled = 0;
            var endOfStream = false;
            long sourceBytes = 0;

            async ValueTask FillAsync()
            {
                var read = await source.ReadAtLeastAsync(window.AsMemory(filled), window.Length - filled, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                if (decodedCopy is not null && read > 0)
                {
                    await decodedCopy.WriteAsync(window.AsMemory(filled, read), cancellationToken).ConfigureAwait(false);
                }

                endOfStream = read < window.Length - filled;
                filled += read;
                sourceBytes += read;
            }

            await FillAsync().ConfigureAwait(false);
            var start = window.AsSpan(0, filled).StartsWith(Utf8Bom) ? Utf8Bom.Length : 0;
            var scanner = RecordScanner.Create(job.Format, ScanScope.Payload, dataset.MaxRecordBytes, start);
            CsvHeader? header = null;
            var sawAnyRecord = false;
            while (true)
            {
                var status = scanner.Next(window.AsSpan(0, filled), windowOffset, endOfStream, out var record);
                if (status == ScanStatus.End)
                {
                    break;
                }

                if (status == ScanStatus.NeedMoreData)
                {
                    var keep = (int)(scanner.RetainFrom - windowOffset);
                    window.AsSpan(keep, filled - keep).CopyTo(window);
                    windowOffset += keep;
                    filled -= keep;
                    await FillAsync().ConfigureAwait(false);
                    continue;
                }

                sawAnyRecord = true;
                if (job.Format == PayloadFormat.Csv && header is null)
                {
                    if (record.Kind != ScannedRecordKind.Record)
                    {
                        return (sourceBytes, null, new PayloadProblem(record.Line, "CSV header: " + record.Error, IsFatal: true));
                    }

                    if (!CsvHeader.TryParse(Slice(window, windowOffset, record), record.Line, dataset, out header, out var headerProblem))
                    {
                        return (sourceBytes, null, headerProblem);
                    }

                    continue;
                }

                if (record.Kind == ScannedRecordKind.Record)
                {
                    if (output.AddRecord(record))
                    {
                        await output.FlushChunkAsync(cancellationToken).ConfigureAwait(false);
                    }

                    continue;
                }

                var inWindow = record.Start >= windowOffset;
                var original = inWindow ? Slice(window, windowOffset, record) : scanner.SkippedPrefix;
                await output.RejectAsync(record, original.ToArray(), truncated: !inWindow || original.Length < record.Length, cancellationToken).ConfigureAwait(false);
            }

            var problem = scanner.Problem;
            if (problem is null && !sawAnyRecord && job.Format != PayloadFormat.JsonArray)
            {
                problem = new PayloadProblem(1, job.Format == PayloadFormat.Csv ? "the payload is empty: expected a CSV header row" : "the payload is empty", IsFatal: true);
            }

            return (sourceBytes, header, problem);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(window);
        }
    }

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    private static ReadOnlySpan<byte> Slice(byte[] window, long windowOffset, ScannedRecord record) =>
        window.AsSpan((int)(record.Start - windowOffset), (int)Math.Min(record.Length, window.Length - (record.Start - windowOffset)));

    private async Task DeletePlanFilesAsync(string jobId, string planId)
    {
        try
        {
            await foreach (var blob in store.Container.GetBlobsAsync(new GetBlobsOptions { Prefix = BlobLayout.PlanFolder(jobId, planId) }).ConfigureAwait(false))
            {
                await store.DeleteIfExistsAsync(blob.Name, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (RequestFailedException)
        {
            // Best effort: an orphaned plan folder costs storage, not correctness.
        }
    }
}
