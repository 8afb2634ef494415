using BulkDurable.Ingestion.Catalog;
using BulkDurable.Ingestion.Jobs;
using BulkDurable.Ingestion.Payloads;
using BulkDurable.Ingestion.Synthetic;
using BulkDurable.Testing;

namespace BulkDurable.Ingestion.Tests.EndToEnd;

/// <summary>
/// The engine's acceptance: payloads staged in Azurite, planned, loaded by two parallel workers
/// into PostgreSQL; redelivery and resubmission never write a row twice.
/// </summary>
public sealed class LoadEndToEndTests(ServersFixture servers)
{
    private const int Records = 200_000;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<PayloadFormat, PayloadCompression> Formats => new()
    {
        { PayloadFormat.Ndjson, PayloadCompression.None },
        { PayloadFormat.Csv, PayloadCompression.None },
        { PayloadFormat.JsonArray, PayloadCompression.None },
        { PayloadFormat.Ndjson, PayloadCompression.Gzip },
        { PayloadFormat.Csv, PayloadCompression.Gzip },
        { PayloadFormat.JsonArray, PayloadCompression.Gzip },
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Loads_every_record_exactly_once_and_redelivery_changes_nothing(PayloadFormat format, PayloadCompression compression)
    {
        var dataset = await TestDataset.SensorReadingsAsync(servers.DataSource, ConflictAction.Ignore);
        await using var host = IngestionTestHost.Create(servers.Servers, null, dataset);
        var payload = await GenerateAsync(host, dataset, format, Records);

        var job = await host.SubmitAsync(dataset.Name, format, payload, compression);
        var run = await host.RunAsync(job, parallelism: 2, Ct);

        Assert.Equal(JobState.Completed, run.Result.State);
        Assert.Equal(Records, run.Result.Submitted);
        Assert.Equal(Records, run.Result.Inserted);
        Assert.Equal(0, run.Result.Rejected);
        Assert.Equal(Records, await dataset.CountAsync(servers.DataSource));
        Assert.True(run.Result.ChunkCount >= 20, $"expected at least 20 chunks of 10,000 records, got {run.Result.ChunkCount}");

        // Deliver every chunk again under the same job: outcomes come from the ledger, nothing is written.
        var chunks = await host.Steps.GetPendingChunksAsync(job.JobId, 0, int.MaxValue, Ct);
        Assert.Empty(chunks);
        var manifest = await host.Steps.PlanAsync(job, Ct);
        var index = host.Get<Ingestion.Planning.ChunkIndexReader>();
        foreach (var chunk in await index.ReadAsync(manifest, 0, manifest.ChunkCount, Ct))
        {
            var again = await host.Steps.LoadChunkAsync(chunk, Ct);
            Assert.True(again.Replayed);
            Assert.Equal(chunk.RecordCount, again.Inserted);
        }

        Assert.Equal(Records, await dataset.CountAsync(servers.DataSource));
        var rerun = await host.RunAsync(job, parallelism: 2, Ct);
        Assert.Equal(run.Result.ChunkCount, rerun.ChunksSkipped);
        Assert.Equal(Records, rerun.Result.Inserted);
    }

    [Theory]
    [InlineData(ConflictAction.Ignore)]
    [InlineData(ConflictAction.Update)]
    public async Task The_same_payload_as_a_new_job_inserts_nothing(ConflictAction onConflict)
    {
        var dataset = await TestDataset.SensorReadingsAsync(servers.DataSource, onConflict);
        await using var host = IngestionTestHost.Create(servers.Servers, null, dataset);
        var payload = await GenerateAsync(host, dataset, PayloadFormat.Ndjson, Records);
        var first = await host.RunAsync(await host.SubmitAsync(dataset.Name, PayloadFormat.Ndjson, payload), 2, Ct);
        Assert.Equal(Records, first.Result.Inserted);

        var second = await host.RunAsync(await host.SubmitAsync(dataset.Name, PayloadFormat.Ndjson, payload), 2, Ct);

        Assert.Equal(0, second.Result.Inserted);
        Assert.Equal(onConflict == ConflictAction.Ignore ? Records : 0, second.Result.Unchanged);
        Assert.Equal(onConflict == ConflictAction.Update ? Records : 0, second.Result.Updated);
        Assert.Equal(Records, await dataset.CountAsync(servers.DataSource));
    }

    private static async Task<byte[]> GenerateAsync(IngestionTestHost host, TestDataset dataset, PayloadFormat format, long records)
    {
        using var buffer = new MemoryStream();
        await new SyntheticRecordWriter(host.Catalog.Get(dataset.Name), format).WriteAsync(buffer, records, cancellationToken: Ct);
        return buffer.ToArray();
    }
}
