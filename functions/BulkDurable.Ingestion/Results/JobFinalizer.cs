using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs.Models;
using BulkDurable.Ingestion.Configuration;
using BulkDurable.Ingestion.Diagnostics;
using BulkDurable.Ingestion.Jobs;
using BulkDurable.Ingestion.Loading;
using BulkDurable.Ingestion.Planning;
using BulkDurable.Ingestion.Records;
using BulkDurable.Ingestion.Running;
using BulkDurable.Ingestion.Serialization;
using BulkDurable.Ingestion.Staging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BulkDurable.Ingestion.Results;

/// <summary>
/// Ends a job: totals from the ledger (so they are exact whatever was retried), the final state
/// from <see cref="JobOutcomePolicy"/>, all rejected records merged in record order into the
/// failed-records file, and <c>result.json</c>. Idempotent: finalizing again (after a redrive)
/// rewrites both from the ledger.
/// </summary>
public sealed class JobFinalizer(
    IngestionBlobStore store,
    ChunkPlanner planner,
    ChunkLedger ledger,
    IOptions<IngestionOptions> options,
    IngestionTelemetry telemetry,
    IFaultInjector faults,
    TimeProvider timeProvider,
    ILogger<JobFinalizer> logger)
{
    /// <summary>Finalizes a job and returns its result.</summary>
    public async Task<JobResult> FinalizeAsync(FinalizeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        JobIds.Validate(request.JobId);
        using var activity = telemetry.StartFinalize(request.JobId);
        var job = await store.ReadJsonAsync(BlobLayout.Job(request.JobId), IngestionJsonContext.Default.JobDescriptor, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Job {request.JobId} does not exist.");
        activity?.SetTag(IngestionTelemetry.DatasetTag, job.Dataset);
        var manifest = await planner.ReadManifestAsync(request.JobId, cancellationToken).ConfigureAwait(false);
        JobResult result;
        if (manifest is null)
        {
            result = new JobResult(
                job.JobId, job.Dataset, request.Cancelled && request.Error is null ? JobState.Cancelled : JobState.Failed,
                0, 0, 0, 0, 0, 0, 0, 0, [], [], request.Error ?? "the job was not planned", false, null, timeProvider.GetUtcNow());
        }
        else
        {
            var progress = await ledger.ReadProgressAsync(manifest, cancellationToken).ConfigureAwait(false);
            foreach (var failure in request.Failures ?? [])
            {
                progress.ApplyFailure(failure);
            }

            var notLoadedChunks = manifest.ChunkCount - progress.Loaded.Count;
            var rejected = progress.Rejected + manifest.PlanRejectedCount;
            var cancelled = request.Cancelled && notLoadedChunks > 0;
            var state = JobOutcomePolicy.Decide(manifest.ChunkCount, notLoadedChunks, manifest.RecordCount, rejected, manifest.Problems.Count > 0, cancelled, options.Value);
            var error = request.Error ?? (state == JobState.Failed ? JobOutcomePolicy.ThresholdBreached(manifest.ChunkCount, notLoadedChunks, manifest.RecordCount, rejected, options.Value) : null);
            var failedRecords = rejected > 0 ? await MergeFailedRecordsAsync(manifest, rejected, cancellationToken).ConfigureAwait(false) : FailedRecordsFile.None;
            result = new JobResult(
                job.JobId,
                job.Dataset,
                state,
                manifest.RecordCount,
                progress.Inserted,
                progress.Updated,
                progress.Unchanged,
                rejected,
                manifest.RecordCount - manifest.PlanRejectedCount - progress.RecordsLoaded,
                manifest.ChunkCount,
                progress.Loaded.Count,
                progress.Errors,
                manifest.Problems,
                error,
                failedRecords.Exists,
                progress.FirstStartedAt,
                timeProvider.GetUtcNow(),
                failedRecords.Truncated);
        }

        await faults.ReachedAsync(FaultPoint.FailedRecordsMerged, request.JobId, null, cancellationToken).ConfigureAwait(false);
        await store.WriteJsonAsync(BlobLayout.Result(request.JobId), result, IngestionJsonContext.Default.JobResult, cancellationToken).ConfigureAwait(false);
        await faults.ReachedAsync(FaultPoint.JobFinalized, request.JobId, null, cancellationToken).ConfigureAwait(false);
        Log.Finalized(logger, result.JobId, result.State.ToString(), result.Submitted, result.Inserted, result.Updated, result.Unchanged, result.Rejected, result.ChunkCount - result.ChunksLoaded);
        return result;
    }

    /// <summary>
    /// Concatenates the plan's rejections and each chunk's, in record order: chunks are in record
    /// order, and a planning rejection goes right before the first chunk that follows it. The file
    /// keeps the first records up to its limits and then ends with a <see cref="FailedRecordsTruncation"/> line.
    /// </summary>
    private async Task<FailedRecordsFile> MergeFailedRecordsAsync(JobManifest manifest, long rejected, CancellationToken cancellationToken)
    {
        var chunksWithRejections = new HashSet<int>();
        await foreach (var outcome in ledger.ReadOutcomesAsync(manifest, cancellationToken).ConfigureAwait(false))
        {
            if (outcome.Rejected > 0)
            {
                chunksWithRejections.Add(outcome.ChunkIndex);
            }
        }

        var target = await store.Blob(BlobLayout.FailedRecords(manifest.JobId))
            .OpenWriteAsync(overwrite: true, new BlockBlobOpenWriteOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/x-ndjson" } }, cancellationToken).ConfigureAwait(false);
        await using (target.ConfigureAwait(false))
        {
            var limits = options.Value;
            var capped = new RecordLineCap(target, limits.MaxRejectedRecords, limits.MaxFailedRecordsBytes);
            using var planRejections = manifest.PlanRejectedCount > 0
                ? new LineReader(await store.Blob(BlobLayout.PlanRejections(manifest.JobId, manifest.AttemptId)).OpenReadAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
                : null;
            var index = new ChunkIndexReader(store);
            const int Batch = 4096;
            for (var first = 0; first < manifest.ChunkCount && !capped.IsFull; first += Batch)
            {
                foreach (var chunk in await index.ReadAsync(manifest, first, Batch, cancellationToken).ConfigureAwait(false))
                {
                    if (planRejections is not null)
                    {
                        await planRejections.CopyLinesBeforeAsync(chunk.FirstRecord, capped, cancellationToken).ConfigureAwait(false);
                    }

                    if (capped.IsFull)
                    {
                        break;
                    }

                    if (chunksWithRejections.Contains(chunk.Index))
                    {
                        try
                        {
                            await store.Blob(BlobLayout.ChunkRejections(manifest.JobId, chunk.Index)).DownloadToAsync(capped, cancellationToken).ConfigureAwait(false);
                        }
                        catch (RequestFailedException ex) when (ex.Status == 404)
                        {
                            throw new InvalidOperationException($"Chunk {chunk.Index} of job {manifest.JobId} recorded rejections but their file is missing.", ex);
                        }
                    }
                }
            }

            if (planRejections is not null && !capped.IsFull)
            {
                await planRejections.CopyLinesBeforeAsync(long.MaxValue, capped, cancellationToken).ConfigureAwait(false);
            }

            if (capped.LinesKept < rejected)
            {
                var marker = new FailedRecordsTruncation(
                    capped.LinesKept,
                    rejected - capped.LinesKept,
                    string.Create(CultureInfo.InvariantCulture, $"the failed-records file keeps the first {limits.MaxRejectedRecords} records and stops after {limits.MaxFailedRecordsBytes} bytes (BulkDurable:Ingestion:MaxRejectedRecords, MaxFailedRecordsBytes)"));
                await JsonSerializer.SerializeAsync(target, marker, IngestionJsonContext.Default.FailedRecordsTruncation, cancellationToken).ConfigureAwait(false);
                await target.WriteAsync("\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
                Log.FailedRecordsTruncated(logger, manifest.JobId, capped.LinesKept, rejected - capped.LinesKept);
                return new FailedRecordsFile(Exists: true, Truncated: true);
            }
        }

        return new FailedRecordsFile(Exists: true, Truncated: false);
    }

    /// <summary>What the merge wrote.</summary>
    private readonly record struct FailedRecordsFile(bool Exists, bool Truncated)
    {
        public static FailedRecordsFile None => default;
    }

    /// <summary>Reads an NDJSON stream of rejected records line by line, peeking at record numbers.</summary>
    private sealed class LineReader(Stream stream) : IDisposable
    {
        private readonly StreamReader _reader = new(stream);
        private string? _pending;

        public async Task CopyLinesBeforeAsync(long recordNumber, Stream target, CancellationToken cancellationToken)
        {
            while (true)
            {
                _pending ??= await _reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
                if (_pending is null || RecordNumberOf(_pending) >= recordNumber)
                {
                    return;
                }

                var bytes = System.Text.Encoding.UTF8.GetBytes(_pending + "\n");
                await target.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
                _pending = null;
            }
        }

        public void Dispose() => _reader.Dispose();

        private static long RecordNumberOf(string line)
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.GetProperty("recordNumber").GetInt64();
        }
    }
}
