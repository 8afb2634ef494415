using System.Text;
using System.Text.Json;
using BulkDurable.Ingestion.Jobs;
using BulkDurable.Ingestion.Payloads;
using BulkDurable.Ingestion.Planning;
using BulkDurable.Testing;

namespace BulkDurable.Ingestion.Tests.Planning;

public sealed class ChunkPlannerTests(ServersFixture servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Dictionary<string, string?> Settings(int chunkRecords = 10_000, string? maxRecordBytes = null) => new()
    {
        ["BulkDurable:Ingestion:ChunkRecords"] = chunkRecords.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["BulkDurable:Datasets:sensor_readings:MaxRecordBytes"] = maxRecordBytes ?? "65536",
    };

    private static string Reading(int i) => $"{{\"sensor_id\":\"s{i}\",\"sampled_at\":\"2024-01-01T00:00:00Z\",\"value\":{i}}}";

    [Fact]
    public async Task Chunks_hold_at_most_the_configured_records_and_cover_the_payload_in_order()
    {
        await using var host = IngestionTestHost.Create(servers.Servers, Settings(chunkRecords: 300));
        var job = await host.SubmitAsync("sensor_readings", PayloadFormat.Ndjson, string.Join("\n", Enumerable.Range(1, 1000).Select(Reading)));

        var manifest = await host.Steps.PlanAsync((await host.Steps.AcceptAsync(job, Ct)).Job, Ct);
        var chunks = await host.Get<ChunkIndexReader>().ReadAsync(manifest, 0, manifest.ChunkCount, Ct);

        Assert.Equal(1000, manifest.RecordCount);
        Assert.Equal([300, 300, 300, 100], chunks.Select(c => c.RecordCount));
        Assert.Equal([1L, 301L, 601L, 901L], chunks.Select(c => c.FirstRecord));
        Assert.Equal([1L, 301L, 601L, 901L], chunks.Select(c => c.FirstLine));
        Assert.Equal(manifest.PlanId, (await host.Steps.PlanAsync(job, Ct)).PlanId);
    }

    [Fact]
    public async Task A_bom_crlf_and_blank_lines_do_not_shift_record_numbers()
    {
        await using var host = IngestionTestHost.Create(servers.Servers, Settings());
        var payload = "\uFEFF" + Reading(1) + "\r\n\r\n" + Reading(2) + "\r\n";
        var job = await host.SubmitAsync("sensor_readings", PayloadFormat.Ndjson, payload);

        var manifest = await host.Steps.PlanAsync((await host.Steps.AcceptAsync(job, Ct)).Job, Ct);
        var chunk = Assert.Single(await host.Get<ChunkIndexReader>().ReadAsync(manifest, 0, 1, Ct));

        Assert.Equal(2, manifest.RecordCount);
        Assert.Equal(3, chunk.Offset);
    }

    [Fact]
    public async Task Oversized_records_are_rejected_while_planning_with_their_beginning_and_split_the_chunks()
    {
        await using var host = IngestionTestHost.Create(servers.Servers, Settings(maxRecordBytes: "256"));
        // Larger than the planner's window, so it is skipped rather than retained.
        var huge = "{\"sensor_id\":\"" + new string('x', 6 << 20) + "\",\"sampled_at\":\"2024-01-01T00:00:00Z\"}";
        var job = await host.SubmitAsync("sensor_readings", PayloadFormat.Ndjson, string.Join("\n", Reading(1), huge, Reading(3)));

        var result = (await host.RunAsync(job, 1, Ct)).Result;

        Assert.Equal(3, result.Submitted);
        Assert.Equal(1, result.Rejected);
        Assert.Equal(2, result.ChunkCount);
        var failed = JsonDocument.Parse(Assert.Single(await host.FailedRecordsAsync(job.JobId))).RootElement;
        Assert.Equal(2, failed.GetProperty("recordNumber").GetInt64());
        Assert.True(failed.GetProperty("truncated").GetBoolean());
        Assert.StartsWith("{\"sensor_id\":\"xxx", failed.GetProperty("record").GetString(), StringComparison.Ordinal);
        Assert.InRange(failed.GetProperty("record").GetString()!.Length, 1024, 64 * 1024);
        Assert.Contains("limit is 256 bytes", failed.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_gzip_bomb_is_refused_before_it_is_expanded()
    {
        await using var host = IngestionTestHost.Create(servers.Servers, new Dictionary<string, string?> { ["BulkDurable:Ingestion:MaxGzipExpansionRatio"] = "50" });
        var zeros = new byte[64 << 20];
        var job = await host.SubmitAsync("sensor_readings", PayloadFormat.Ndjson, zeros, PayloadCompression.Gzip);
        Assert.True(job.PayloadBytes < 1 << 20);

        var result = (await host.RunAsync(job, 1, Ct)).Result;

        Assert.Equal(JobState.Failed, result.State);
        Assert.Contains("expands more than 50:1", result.Error, StringComparison.Ordinal);
        Assert.Equal(0, result.Submitted);
    }

    [Fact]
    public async Task Corrupt_gzip_fails_the_job_with_the_reason()
    {
        await using var host = IngestionTestHost.Create(servers.Servers);
        var gzip = IngestionTestHost.Gzip(Encoding.UTF8.GetBytes(string.Join("\n", Enumerable.Range(1, 5000).Select(Reading))));
        gzip.AsSpan(gzip.Length / 2, 64).Fill(0x55);
        var job = await host.SubmitAsync("sensor_readings", PayloadFormat.Ndjson, gzip);
        job = job with { Compression = PayloadCompression.Gzip };

        var result = (await host.RunAsync(job, 1, Ct)).Result;

        Assert.Equal(JobState.Failed, result.State);
        Assert.Contains("gzip stream is corrupt", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_csv_header_that_does_not_match_fails_the_job_before_anything_loads()
    {
        await using var host = IngestionTestHost.Create(servers.Servers);
        var job = await host.SubmitAsync("sensor_readings", PayloadFormat.Csv, "sensor,sampled_at\ns1,2024-01-01T00:00:00Z\n");

        var result = (await host.RunAsync(job, 1, Ct)).Result;

        Assert.Equal(JobState.Failed, result.State);
        Assert.Contains("Line 1: CSV header mismatch: column 1 'sensor' is not a field", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Planning_rejections_and_loading_rejections_are_merged_in_record_order()
    {
        await using var host = IngestionTestHost.Create(servers.Servers, Settings(chunkRecords: 2, maxRecordBytes: "128"));
        var huge = "{\"sensor_id\":\"" + new string('y', 500) + "\"}";
        var lines = new[] { Reading(1), "{\"bad\":1}", huge, Reading(4), "not json", Reading(6), huge, Reading(8) };
        var job = await host.SubmitAsync("sensor_readings", PayloadFormat.Ndjson, string.Join("\n", lines));

        var result = (await host.RunAsync(job, 2, Ct)).Result;

        var numbers = (await host.FailedRecordsAsync(job.JobId)).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("recordNumber").GetInt64());
        Assert.Equal([2L, 3L, 5L, 7L], numbers);
        Assert.Equal(4, result.Rejected);
        Assert.Equal(8, result.Submitted);
    }
}
