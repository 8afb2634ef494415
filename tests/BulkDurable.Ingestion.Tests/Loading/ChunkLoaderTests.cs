using BulkDurable.Ingestion.Catalog;
using BulkDurable.Ingestion.Loading;
using BulkDurable.Ingestion.Payloads;
using BulkDurable.Ingestion.Planning;
using BulkDurable.Testing;

namespace BulkDurable.Ingestion.Tests.Loading;

public sealed class ChunkLoaderTests(ServersFixture servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Payload(int records, int valueOffset = 0) =>
        string.Join("\n", Enumerable.Range(1, records).Select(i => $"{{\"sensor_id\":\"s{i}\",\"sampled_at\":\"2024-01-01T00:00:00Z\",\"value\":{i + valueOffset}}}"));

    [Fact]
    public async Task Concurrent_deliveries_of_one_chunk_write_it_once_and_agree_on_the_outcome()
    {
        var dataset = await TestDataset.SensorReadingsAsync(servers.DataSource);
        await using var host = IngestionTestHost.Create(servers.Servers, null, dataset);
        var job = (await host.Steps.AcceptAsync(await host.SubmitAsync(dataset.Name, PayloadFormat.Ndjson, Payload(5000)), Ct)).Job;
        var manifest = await host.Steps.PlanAsync(job, Ct);
        var chunk = Assert.Single(await host.Get<ChunkIndexReader>().ReadAsync(manifest, 0, 1, Ct));

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => host.Steps.LoadChunkAsync(chunk, Ct), Ct)));

        Assert.Single(outcomes, o => !o.Replayed);
        Assert.All(outcomes, o => Assert.Equal(5000, o.Inserted));
        Assert.Equal(5000, await dataset.CountAsync(servers.DataSource));
    }

    [Fact]
    public async Task A_chunk_rolled_back_midway_leaves_no_rows_and_loads_completely_on_the_next_delivery()
    {
        var dataset = await TestDataset.SensorReadingsAsync(servers.DataSource);
        await using var host = IngestionTestHost.Create(servers.Servers, null, dataset);
        var job = (await host.Steps.AcceptAsync(await host.SubmitAsync(dataset.Name, PayloadFormat.Ndjson, Payload(50_000)), Ct)).Job;
        var manifest = await host.Steps.PlanAsync(job, Ct);
        var chunk = (await host.Get<ChunkIndexReader>().ReadAsync(manifest, 0, 1, Ct))[0];

        // Cancel while the chunk's transaction is in flight.
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(30));
        await Assert.ThrowsAnyAsync<Exception>(() => host.Steps.LoadChunkAsync(chunk, cancel.Token));
        Assert.Null(await host.Get<ChunkLedger>().ReadOutcomeAsync(manifest.Context, chunk.Index, Ct));
        Assert.Equal(0, await dataset.CountAsync(servers.DataSource));

        var outcome = await host.Steps.LoadChunkAsync(chunk, Ct);

        Assert.False(outcome.Replayed);
        Assert.Equal(chunk.RecordCount, await dataset.CountAsync(servers.DataSource));
    }

    [Fact]
    public async Task A_payload_changed_after_planning_is_never_loaded()
    {
        var dataset = await TestDataset.SensorReadingsAsync(servers.DataSource);
        await using var host = IngestionTestHost.Create(servers.Servers, null, dataset);
        var job = (await host.Steps.AcceptAsync(await host.SubmitAsync(dataset.Name, PayloadFormat.Ndjson, Payload(10)), Ct)).Job;
        var manifest = await host.Steps.PlanAsync(job, Ct);
        await host.Store.Container.GetBlobClient(job.PayloadBlob).UploadAsync(new BinaryData(Payload(10, valueOffset: 1000)), overwrite: true, Ct);
        var chunk = (await host.Get<ChunkIndexReader>().ReadAsync(manifest, 0, 1, Ct))[0];

        var error = await Assert.ThrowsAsync<Azure.RequestFailedException>(() => host.Steps.LoadChunkAsync(chunk, Ct));

        Assert.Equal(412, error.Status);
        Assert.Equal(0, await dataset.CountAsync(servers.DataSource));
    }

    [Fact]
    public async Task Updates_overwrite_values_and_count_every_matched_key_as_updated()
    {
        var dataset = await TestDataset.SensorReadingsAsync(servers.DataSource, ConflictAction.Update);
        await using var host = IngestionTestHost.Create(servers.Servers, null, dataset);
        await host.RunAsync(await host.SubmitAsync(dataset.Name, PayloadFormat.Ndjson, Payload(100)), 1, Ct);

        var result = (await host.RunAsync(await host.SubmitAsync(dataset.Name, PayloadFormat.Ndjson, Payload(150, valueOffset: 1000)), 1, Ct)).Result;

        Assert.Equal((50L, 100L, 0L), (result.Inserted, result.Updated, result.Unchanged));
        await using var command = servers.DataSource.CreateCommand($"SELECT sum(value) FROM {dataset.Table}");
        Assert.Equal(Enumerable.Range(1, 150).Sum(i => i + 1000.0), (double)(await command.ExecuteScalarAsync(Ct))!);
    }

    [Fact]
    public async Task Within_one_chunk_the_last_record_with_a_key_wins()
    {
        var dataset = await TestDataset.SensorReadingsAsync(servers.DataSource, ConflictAction.Update);
        await using var host = IngestionTestHost.Create(servers.Servers, null, dataset);
        var lines = string.Join("\n", "{\"sensor_id\":\"a\",\"sampled_at\":\"2024-01-01T00:00:00Z\",\"value\":1}", "{\"sensor_id\":\"a\",\"sampled_at\":\"2024-01-01T00:00:00Z\",\"value\":2}");

        var result = (await host.RunAsync(await host.SubmitAsync(dataset.Name, PayloadFormat.Ndjson, lines), 1, Ct)).Result;

        Assert.Equal((1L, 1L), (result.Inserted, result.Updated));
        await using var command = servers.DataSource.CreateCommand($"SELECT value FROM {dataset.Table}");
        Assert.Equal(2.0, (double)(await command.ExecuteScalarAsync(Ct))!);
    }

    [Fact]
    public async Task A_job_id_used_again_after_its_files_are_lost_is_refused_instead_of_skipping_chunks()
    {
        var dataset = await TestDataset.SensorReadingsAsync(servers.DataSource);
        await using var host = IngestionTestHost.Create(servers.Servers, null, dataset);
        var first = await host.SubmitAsync(dataset.Name, PayloadFormat.Ndjson, Payload(100), jobId: "reused-" + Guid.NewGuid().ToString("N")[..8]);
        Assert.Equal(100, (await host.RunAsync(first, 1, Ct)).Result.Inserted);

        // The job's blobs are gone (container deleted, lifecycle policy); the ledger remembers the id.
        await foreach (var blob in host.Store.Container.GetBlobsAsync(new Azure.Storage.Blobs.Models.GetBlobsOptions { Prefix = $"jobs/{first.JobId}/" }, Ct))
        {
            await host.Store.DeleteIfExistsAsync(blob.Name, Ct);
        }

        var again = await host.SubmitAsync(dataset.Name, PayloadFormat.Ndjson, Payload(200, valueOffset: 7), jobId: first.JobId);
        var result = (await host.RunAsync(again, 1, Ct)).Result;

        Assert.Equal(Ingestion.Jobs.JobState.Failed, result.State);
        Assert.Contains("its id was used before", result.Error, StringComparison.Ordinal);
        Assert.Equal(100, await dataset.CountAsync(servers.DataSource));
    }
}
