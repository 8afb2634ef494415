using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace BulkDurable.Ingestion.Diagnostics;

/// <summary>
/// The engine's metrics (<see cref="Meter"/> <c>BulkDurable.Ingestion</c>) and traces
/// (<see cref="ActivitySource"/> of the same name). Every span and measurement carries the dataset;
/// spans also carry the job id and chunk index.
/// </summary>
public sealed class IngestionTelemetry : IDisposable
{
    /// <summary>Name of the meter and the activity source.</summary>
    public const string Name = "BulkDurable.Ingestion";

    private readonly Meter _meter;
    private readonly Counter<long> _records;
    private readonly Counter<long> _chunks;
    private readonly Histogram<double> _chunkDuration;
    private readonly Histogram<double> _planDuration;
    private readonly Counter<long> _plannedBytes;

    /// <summary>Creates the instruments from the host's meter factory.</summary>
    public IngestionTelemetry(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _meter = meterFactory.Create(Name);
        ActivitySource = new ActivitySource(Name);
        _records = _meter.CreateCounter<long>("bulkdurable.records", "{record}", "Records processed, by outcome (inserted, updated, unchanged, rejected).");
        _chunks = _meter.CreateCounter<long>("bulkdurable.chunks", "{chunk}", "Chunk loads, by result (loaded, replayed, retrying, failed).");
        _chunkDuration = _meter.CreateHistogram<double>("bulkdurable.chunk.duration", "s", "Time to load one chunk, download to commit.");
        _planDuration = _meter.CreateHistogram<double>("bulkdurable.plan.duration", "s", "Time to plan a job (scan the payload and write its chunk index).");
        _plannedBytes = _meter.CreateCounter<long>("bulkdurable.payload.bytes", "By", "Payload bytes planned (decoded).");
    }

    /// <summary>Spans for planning, chunk loads and finalization.</summary>
    public ActivitySource ActivitySource { get; }

    /// <summary>The span tag naming the dataset (set on a chunk's or a finalize span once the dataset is known).</summary>
    internal const string DatasetTag = "bulkdurable.dataset";

    internal Activity? StartPlan(string jobId, string dataset) =>
        ActivitySource.StartActivity("bulkdurable.plan")?.SetTag("bulkdurable.job_id", jobId).SetTag(DatasetTag, dataset);

    internal Activity? StartChunk(string jobId, int chunkIndex) =>
        ActivitySource.StartActivity("bulkdurable.load_chunk")?.SetTag("bulkdurable.job_id", jobId).SetTag("bulkdurable.chunk_index", chunkIndex);

    internal Activity? StartFinalize(string jobId) =>
        ActivitySource.StartActivity("bulkdurable.finalize")?.SetTag("bulkdurable.job_id", jobId);

    internal void RecordPlan(string dataset, long bytes, TimeSpan elapsed)
    {
        var tag = new KeyValuePair<string, object?>("dataset", dataset);
        _plannedBytes.Add(bytes, tag);
        _planDuration.Record(elapsed.TotalSeconds, tag);
    }

    /// <summary>A chunk load that failed: <c>retrying</c> when the failure is retryable, <c>failed</c> otherwise.</summary>
    internal void RecordChunkFailure(string? dataset, bool retryable) =>
        _chunks.Add(1, new KeyValuePair<string, object?>("dataset", dataset ?? "unknown"), new KeyValuePair<string, object?>("result", retryable ? "retrying" : "failed"));

    internal void RecordChunk(string dataset, string result, string? path, TimeSpan elapsed, long inserted, long updated, long unchanged, long rejected)
    {
        var datasetTag = new KeyValuePair<string, object?>("dataset", dataset);
        _chunks.Add(1, datasetTag, new KeyValuePair<string, object?>("result", result));
        if (result == "loaded")
        {
            _chunkDuration.Record(elapsed.TotalSeconds, datasetTag, new KeyValuePair<string, object?>("path", path));
            AddRecords(datasetTag, "inserted", inserted);
            AddRecords(datasetTag, "updated", updated);
            AddRecords(datasetTag, "unchanged", unchanged);
            AddRecords(datasetTag, "rejected", rejected);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        ActivitySource.Dispose();
        _meter.Dispose();
    }

    private void AddRecords(KeyValuePair<string, object?> datasetTag, string outcome, long count)
    {
        if (count > 0)
        {
            _records.Add(count, datasetTag, new KeyValuePair<string, object?>("outcome", outcome));
        }
    }
}
