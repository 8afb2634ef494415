using BulkDurable.Faults.Tests.Infrastructure;
using BulkDurable.Ingestion.Diagnostics;
using BulkDurable.Ingestion.Jobs;
using BulkDurable.Ingestion.Staging;
using BulkDurable.Testing;

namespace BulkDurable.Faults.Tests.Crashes;

/// <summary>
/// The loading process is killed with SIGKILL at each fault point of a job's life (no finally
/// block, no flush, no rollback from the client), then started again on the same job: every record
/// ends up loaded or rejected exactly once, whatever the process had done when it died.
/// </summary>
public sealed class SigkillResumeTests(ServersFixture servers)
{
    private const int Records = 20_000;
    private const int ChunkRecords = 1_000;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Fault points, and which arrival at each kills (mid-plan, mid-load: not only the first).</summary>
    public static TheoryData<FaultPoint, int> KillPoints => new()
    {
        { FaultPoint.PayloadStaged, 1 },
        { FaultPoint.JobAccepted, 1 },
        { FaultPoint.ChunkPlanned, 7 },
        { FaultPoint.JobPlanned, 1 },
        { FaultPoint.ChunkWritten, 4 },
        { FaultPoint.ChunkCommitted, 6 },
        { FaultPoint.FailedRecordsMerged, 1 },
        { FaultPoint.JobFinalized, 1 },
    };

    [Theory]
    [MemberData(nameof(KillPoints))]
    public async Task A_job_killed_with_sigkill_and_run_again_loads_every_record_exactly_once(FaultPoint point, int arrival)
    {
        var dataset = await TestDataset.SensorReadingsAsync(servers.DataSource);
        await using var host = IngestionTestHost.Create(servers.Servers, new Dictionary<string, string?> { ["BulkDurable:Ingestion:ChunkRecords"] = "1000" }, dataset);
        var payload = SensorPayload.Generate(Records, invalidEvery: 401);
        var file = Path.Combine(Path.GetTempPath(), $"bulkdurable-sigkill-{Guid.NewGuid():N}.ndjson");
        await File.WriteAllBytesAsync(file, payload.Bytes, Ct);
        try
        {
            var jobId = JobIds.New();
            var crashed = await FaultWorkerProcess.RunAsync(
                host,
                ["run", "--job-id", jobId, "--dataset", dataset.Name, "--format", "Ndjson", "--payload", file, "--parallelism", "2", "--kill-at", point.ToString(), "--kill-on", arrival.ToString(System.Globalization.CultureInfo.InvariantCulture)],
                Ct);

            Assert.True(crashed.ExitCode == FaultWorkerProcess.SigkillExitCode, $"expected death by SIGKILL (137), got {crashed.ExitCode}: {crashed.Stderr}");
            Assert.Contains($"fault: SIGKILL at {point} #{arrival}", crashed.Stderr, StringComparison.Ordinal);
            // What the dead process left: only committed chunks, each with its rows (a transaction
            // cut short by the kill is rolled back by the server, its rows with it).
            var rowsAtCrash = await dataset.CountAsync(servers.DataSource);
            var (chunksAtCrash, insertedAtCrash) = await LedgerAsync(jobId);
            Assert.Equal(insertedAtCrash, rowsAtCrash);

            string finalJobId;
            int chunksSkipped;
            if (point == FaultPoint.PayloadStaged)
            {
                // The process died before any job existed: nothing refers to the staged payload,
                // nothing was written to the database. The client submits again (a new job).
                Assert.False(await host.Store.ExistsAsync(BlobLayout.Job(jobId), Ct));
                Assert.Equal(0, rowsAtCrash);
                Assert.Equal(0, chunksAtCrash);
                finalJobId = JobIds.New();
                (_, chunksSkipped) = (await FaultWorkerProcess.RunAsync(host, ["run", "--job-id", finalJobId, "--dataset", dataset.Name, "--format", "Ndjson", "--payload", file], Ct)).Parse();
            }
            else
            {
                finalJobId = jobId;
                (_, chunksSkipped) = (await FaultWorkerProcess.RunAsync(host, ["resume", "--job-id", jobId, "--parallelism", "2"], Ct)).Parse();
            }

            var result = await payload.AssertLoadedExactlyAsync(host, dataset.Name, finalJobId, Ct);
            Assert.Equal(chunksAtCrash, chunksSkipped);
            Assert.True(result.ChunkCount >= Records / ChunkRecords, $"expected at least {Records / ChunkRecords} chunks, got {result.ChunkCount}");
            TestContext.Current.TestOutputHelper?.WriteLine(
                $"SIGKILL at {point} #{arrival}: at the crash {rowsAtCrash} rows, {chunksAtCrash} chunks in the ledger; after the run: {result.ChunkCount} chunks, {chunksSkipped} skipped, {result.Inserted} inserted, {result.Rejected} rejected; duplicates 0, lost 0");
        }
        finally
        {
            File.Delete(file);
        }
    }

    private async Task<(long Chunks, long Inserted)> LedgerAsync(string jobId)
    {
        await using var command = servers.DataSource.CreateCommand("SELECT count(*), coalesce(sum(inserted), 0)::bigint FROM bulkdurable.chunk_ledger WHERE job_id = $1");
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = jobId });
        await using var reader = await command.ExecuteReaderAsync(Ct);
        await reader.ReadAsync(Ct);
        return (reader.GetInt64(0), reader.GetInt64(1));
    }
}
