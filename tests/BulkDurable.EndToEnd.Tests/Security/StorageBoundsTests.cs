using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using BulkDurable.EndToEnd.Tests.Infrastructure;
using BulkDurable.Testing;

namespace BulkDurable.EndToEnd.Tests.Security;

/// <summary>
/// What one request can make the service store is bounded: a flood of rejected records fails the
/// job at the configured count and the failed-records file stops at its limits with a marker line,
/// while every rejected record is still counted.
/// </summary>
public sealed class StorageBoundsTests(ServersFixture servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_gzip_flood_of_invalid_records_fails_the_job_past_the_rejection_cap_and_its_file_stops_at_the_cap_with_a_marker()
    {
        const int cap = 1_000;
        var settings = new Dictionary<string, string?>
        {
            ["BulkDurable:Ingestion:MaxRejectedRecords"] = "1000",

            // Five invalid records in rotation compress far past the bomb guard; this flood is let in.
            ["BulkDurable:Ingestion:MaxGzipExpansionRatio"] = "100000",
            ["BulkDurable:Ingestion:ChunkRecords"] = "500",
            ["BulkDurable:Orchestration:MaxChunksInFlight"] = "2",
        };
        await using var bed = await DurableTestBed.CreateAsync(servers, settings, Ct);
        var flood = SensorPayload.Generate(40_000, invalidEvery: 1);
        var body = Gzip(flood.Bytes);

        var accepted = await bed.Api.SubmitAsync(bed.Dataset.Name, body, "application/x-ndjson", contentEncoding: "gzip", cancellationToken: Ct);
        Assert.True(accepted.Status == HttpStatusCode.Accepted, accepted.ToString());
        var jobId = accepted.Json.GetProperty("jobId").GetString()!;
        var status = await bed.Api.WaitForTerminalAsync(jobId, TimeSpan.FromMinutes(3), Ct);
        var lines = await bed.Api.FailedRecordsAsync(jobId, Ct);

        Assert.Equal("Failed", status.GetProperty("state").GetString());
        Assert.Contains(status.GetProperty("errors").EnumerateArray(), e => e.GetProperty("message").GetString()!.Contains("MaxRejectedRecords", StringComparison.Ordinal));
        var rejected = status.GetProperty("progress").GetProperty("records").GetProperty("rejected").GetInt64();
        Assert.InRange(rejected, cap + 1, flood.Records - 1);
        Assert.True(status.GetProperty("progress").GetProperty("chunks").GetProperty("loaded").GetInt32() < 80, "the job kept scheduling chunks past the cap");
        Assert.True(status.GetProperty("failedRecordsTruncated").GetBoolean());
        Assert.Equal(cap + 1, lines.Count);
        var numbers = lines.Take(cap).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("recordNumber").GetInt64()).ToList();
        Assert.Equal(Enumerable.Range(1, cap).Select(i => (long)i), numbers);
        using var marker = JsonDocument.Parse(lines[^1]);
        Assert.True(marker.RootElement.GetProperty("fileTruncated").GetBoolean());
        Assert.False(marker.RootElement.TryGetProperty("recordNumber", out _));
        Assert.Equal(cap, marker.RootElement.GetProperty("recordsListed").GetInt64());
        Assert.Equal(rejected - cap, marker.RootElement.GetProperty("recordsOmitted").GetInt64());
        Assert.Equal(0, await bed.RowCountAsync());
    }

    [Fact]
    public async Task The_failed_records_file_stops_at_its_byte_limit_on_a_whole_record_and_valid_records_still_load()
    {
        const int limit = 64 * 1024;
        var settings = new Dictionary<string, string?>
        {
            ["BulkDurable:Ingestion:MaxFailedRecordsBytes"] = "65536",
            ["BulkDurable:Ingestion:ChunkRecords"] = "500",
        };
        await using var bed = await DurableTestBed.CreateAsync(servers, settings, Ct);
        var payload = SensorPayload.Generate(6_000, invalidEvery: 2);

        var accepted = await bed.Api.SubmitAsync(bed.Dataset.Name, payload.Bytes, "application/x-ndjson", cancellationToken: Ct);
        var jobId = accepted.Json.GetProperty("jobId").GetString()!;
        var status = await bed.Api.WaitForTerminalAsync(jobId, TimeSpan.FromMinutes(3), Ct);
        var lines = await bed.Api.FailedRecordsAsync(jobId, Ct);

        Assert.Equal("CompletedWithErrors", status.GetProperty("state").GetString());
        Assert.Equal(payload.Rejections.Count, status.GetProperty("progress").GetProperty("records").GetProperty("rejected").GetInt64());
        Assert.True(status.GetProperty("failedRecordsTruncated").GetBoolean());
        var records = lines.SkipLast(1).ToList();
        var recordBytes = records.Sum(l => Encoding.UTF8.GetByteCount(l) + 1);
        Assert.InRange(recordBytes, limit, limit + records.Max(l => Encoding.UTF8.GetByteCount(l) + 1));
        Assert.Equal(payload.Rejections.Take(records.Count).Select(r => r.RecordNumber), records.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("recordNumber").GetInt64()));
        using var marker = JsonDocument.Parse(lines[^1]);
        Assert.True(marker.RootElement.GetProperty("fileTruncated").GetBoolean());
        Assert.Equal(payload.Rejections.Count - records.Count, marker.RootElement.GetProperty("recordsOmitted").GetInt64());
        await payload.AssertLoadedExactlyAsync(bed.Engine, bed.Dataset.Name, jobId, Ct);
    }

    private static byte[] Gzip(byte[] bytes)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(bytes);
        }

        return buffer.ToArray();
    }
}
