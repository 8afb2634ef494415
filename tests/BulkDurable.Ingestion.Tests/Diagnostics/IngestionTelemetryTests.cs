using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using BulkDurable.Ingestion.Diagnostics;
using BulkDurable.Ingestion.Payloads;
using BulkDurable.Ingestion.Planning;
using BulkDurable.Testing;

namespace BulkDurable.Ingestion.Tests.Diagnostics;

/// <summary>
/// What operators see of a job: chunk loads counted by result and records by outcome, tagged with
/// the dataset; plan, chunk and finalize spans tagged with the job id, the chunk index and the dataset.
/// </summary>
public sealed class IngestionTelemetryTests(ServersFixture servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Chunk_loads_are_counted_by_result_and_records_by_outcome_under_the_dataset_and_spans_carry_job_chunk_and_dataset()
    {
        var dataset = await TestDataset.SensorReadingsAsync(servers.DataSource);
        using var measured = new Measurements(dataset.Name);
        await using var host = IngestionTestHost.Create(servers.Servers, null, dataset);
        var payload = string.Join("\n", Enumerable.Range(1, 30).Select(i => i == 7
            ? "{\"sensor_id\":\"s\",\"sampled_at\":\"2024-01-01T00:00:00Z\",\"value\":\"high\"}"
            : $"{{\"sensor_id\":\"s{i}\",\"sampled_at\":\"2024-01-01T00:00:00Z\",\"value\":{i}}}"));
        var job = (await host.Steps.AcceptAsync(await host.SubmitAsync(dataset.Name, PayloadFormat.Ndjson, payload), Ct)).Job;

        var result = await host.RunAsync(job, cancellationToken: Ct);
        var chunk = (await host.Get<ChunkIndexReader>().ReadAsync((await host.Steps.PlanAsync(job, Ct)), 0, 1, Ct))[0];
        await host.Steps.LoadChunkAsync(chunk, Ct);

        Assert.Equal(29, result.Result.Inserted);
        Assert.Equal(1, measured.Chunks("loaded"));
        Assert.Equal(1, measured.Chunks("replayed"));
        Assert.Equal(29, measured.Records("inserted"));
        Assert.Equal(1, measured.Records("rejected"));
        var spans = measured.Spans.Where(s => (string?)s.GetTagItem("bulkdurable.job_id") == job.JobId).ToList();
        Assert.Contains(spans, s => s.OperationName == "bulkdurable.plan" && (string?)s.GetTagItem("bulkdurable.dataset") == dataset.Name);
        Assert.Contains(spans, s => s.OperationName == "bulkdurable.load_chunk" && s.GetTagItem("bulkdurable.chunk_index") is 0 && (string?)s.GetTagItem("bulkdurable.dataset") == dataset.Name);
        Assert.Contains(spans, s => s.OperationName == "bulkdurable.finalize" && (string?)s.GetTagItem("bulkdurable.dataset") == dataset.Name);
    }

    [Fact]
    public async Task A_chunk_load_that_fails_for_good_is_counted_as_failed()
    {
        var dataset = await TestDataset.SensorReadingsAsync(servers.DataSource);
        using var measured = new Measurements(dataset.Name);
        await using var host = IngestionTestHost.Create(servers.Servers, null, dataset);
        var job = (await host.Steps.AcceptAsync(await host.SubmitAsync(dataset.Name, PayloadFormat.Ndjson, "{\"sensor_id\":\"s\",\"sampled_at\":\"2024-01-01T00:00:00Z\",\"value\":1}\n"), Ct)).Job;
        var manifest = await host.Steps.PlanAsync(job, Ct);
        var chunk = (await host.Get<ChunkIndexReader>().ReadAsync(manifest, 0, 1, Ct))[0];
        await using (var drop = servers.DataSource.CreateCommand($"DROP TABLE {dataset.Table}"))
        {
            await drop.ExecuteNonQueryAsync(Ct);
        }

        await Assert.ThrowsAnyAsync<Exception>(() => host.Steps.LoadChunkAsync(chunk, Ct));

        Assert.Equal(1, measured.Chunks("failed"));
        Assert.Equal(0, measured.Chunks("loaded"));
    }

    /// <summary>The engine's measurements of one dataset, and every span of the engine, while it lives.</summary>
    private sealed class Measurements : IDisposable
    {
        private readonly MeterListener _meters = new();
        private readonly ActivityListener _spans;
        private readonly ConcurrentQueue<(string Instrument, long Value, Dictionary<string, object?> Tags)> _values = new();
        private readonly ConcurrentQueue<Activity> _activities = new();

        public Measurements(string dataset)
        {
            _meters.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == IngestionTelemetry.Name)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            {
                var map = new Dictionary<string, object?>();
                foreach (var tag in tags)
                {
                    map[tag.Key] = tag.Value;
                }

                if (map.GetValueOrDefault("dataset") as string == dataset)
                {
                    _values.Enqueue((instrument.Name, value, map));
                }
            });
            _meters.Start();
            _spans = new ActivityListener
            {
                ShouldListenTo = source => source.Name == IngestionTelemetry.Name,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = _activities.Enqueue,
            };
            ActivitySource.AddActivityListener(_spans);
        }

        public IReadOnlyList<Activity> Spans => [.. _activities];

        public long Chunks(string result) => _values.Where(v => v.Instrument == "bulkdurable.chunks" && v.Tags.GetValueOrDefault("result") as string == result).Sum(v => v.Value);

        public long Records(string outcome) => _values.Where(v => v.Instrument == "bulkdurable.records" && v.Tags.GetValueOrDefault("outcome") as string == outcome).Sum(v => v.Value);

        public void Dispose()
        {
            _meters.Dispose();
            _spans.Dispose();
        }
    }
}
