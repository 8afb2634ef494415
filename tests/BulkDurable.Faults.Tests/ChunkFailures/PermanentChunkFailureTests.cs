using System.Globalization;
using BulkDurable.Ingestion.Jobs;
using BulkDurable.Ingestion.Payloads;
using BulkDurable.Testing;

namespace BulkDurable.Faults.Tests.ChunkFailures;

/// <summary>
/// One chunk fails permanently: a trigger refuses one of its rows with a permission error (SQLSTATE
/// 42501, not a data error, so the row is not isolated and the whole chunk fails). Within the
/// tolerated failed-chunk ratio the other chunks load and the job ends CompletedWithErrors; beyond
/// it the job ends Failed, and since failure is then certain the runner starts no new chunk (those
/// in flight finish). Either way what is in the ledger is exactly what is in the table, and once
/// the cause is removed a redrive loads what was not loaded and nothing else.
/// </summary>
public sealed class PermanentChunkFailureTests(ServersFixture servers)
{
    private const int Records = 10_000;
    private const int ChunkRecords = 1_000;
    private const int PoisonedRecord = 4_321;
    private const int PoisonedChunk = (PoisonedRecord - 1) / ChunkRecords;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("0", JobState.Failed)]
    [InlineData("0.5", JobState.CompletedWithErrors)]
    public async Task A_chunk_that_fails_permanently_ends_the_job_by_the_tolerated_ratio_and_a_redrive_loads_only_what_is_missing(string toleratedFailedChunkRatio, JobState stateWithTheFailure)
    {
        var dataset = await TestDataset.SensorReadingsAsync(servers.DataSource);
        await using var host = IngestionTestHost.Create(
            servers.Servers,
            new Dictionary<string, string?>
            {
                ["BulkDurable:Ingestion:ChunkRecords"] = ChunkRecords.ToString(CultureInfo.InvariantCulture),
                ["BulkDurable:Ingestion:ToleratedFailedChunkRatio"] = toleratedFailedChunkRatio,
            },
            dataset);
        var payload = SensorPayload.Generate(Records, note: i => i == PoisonedRecord ? "poison" : "n" + i.ToString(CultureInfo.InvariantCulture));
        var refuse = await RefusePoisonAsync(dataset);
        var job = await host.SubmitAsync(dataset.Name, PayloadFormat.Ndjson, payload.Bytes);

        var failedRun = await host.RunAsync(job, parallelism: 2, Ct);

        var failure = Assert.Single(failedRun.Result.FailedChunks);
        Assert.Equal(PoisonedChunk, failure.ChunkIndex);
        Assert.Contains("42501", failure.Error, StringComparison.Ordinal);
        var loaded = await LoadedChunksAsync(job.JobId);
        Assert.DoesNotContain(PoisonedChunk, loaded);
        if (stateWithTheFailure == JobState.CompletedWithErrors)
        {
            Assert.Equal((Records / ChunkRecords) - 1, loaded.Count);
        }

        var notLoaded = Records - (loaded.Count * ChunkRecords);
        await using (var loadedRecords = await ReferenceTable.CreateAsync(host, dataset.Name))
        {
            await loadedRecords.ApplyJsonAsync(payload.ValidRecords.Where((_, i) => loaded.Contains(i / ChunkRecords)));
            await InvariantChecker.AssertAsync(
                host,
                job.JobId,
                new JobExpectation
                {
                    Dataset = dataset.Name,
                    Submitted = Records,
                    NotLoaded = notLoaded,
                    State = stateWithTheFailure,
                    Inserted = Records - notLoaded,
                    Reference = loadedRecords,
                },
                Ct);
        }

        // The cause is fixed; the same job runs again (a redrive): only what was not loaded is pending.
        await servers.DataSource.ExecuteSqlAsync(refuse, Ct);
        var redrive = await host.RunAsync(job, parallelism: 2, Ct);

        Assert.Equal(loaded.Count, redrive.ChunksSkipped);
        await using var everything = await ReferenceTable.CreateAsync(host, dataset.Name);
        await everything.ApplyJsonAsync(payload.ValidRecords);
        var result = await InvariantChecker.AssertAsync(
            host,
            job.JobId,
            new JobExpectation { Dataset = dataset.Name, Submitted = Records, State = JobState.Completed, Inserted = Records, Reference = everything },
            Ct);
        Assert.Empty(result.FailedChunks);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"ToleratedFailedChunkRatio {toleratedFailedChunkRatio}: chunk {PoisonedChunk} of {result.ChunkCount} failed ({failure.Error}); job {failedRun.Result.State}, {loaded.Count} chunks loaded, {failedRun.Result.NotLoaded} records not loaded; redrive skipped {redrive.ChunksSkipped} chunks, loaded {result.ChunkCount - redrive.ChunksSkipped}, job {result.State}");
    }

    private async Task<HashSet<int>> LoadedChunksAsync(string jobId)
    {
        var loaded = new HashSet<int>();
        await using var command = servers.DataSource.CreateCommand("SELECT chunk_index FROM bulkdurable.chunk_ledger WHERE job_id = $1");
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = jobId });
        await using var reader = await command.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
        {
            loaded.Add(reader.GetInt32(0));
        }

        return loaded;
    }

    /// <summary>A trigger refusing the poisoned row with a permission error; returns the statement that removes it.</summary>
    private async Task<string> RefusePoisonAsync(TestDataset dataset)
    {
        var function = dataset.Table + "_refuse";
        await servers.DataSource.ExecuteSqlAsync(
            $"""
            CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.note = 'poison' THEN
                    RAISE EXCEPTION 'permission denied for sensor %', NEW.sensor_id USING ERRCODE = '42501';
                END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER refuse_poison BEFORE INSERT OR UPDATE ON {dataset.Table} FOR EACH ROW EXECUTE FUNCTION {function}();
            """,
            Ct);
        return $"DROP TRIGGER refuse_poison ON {dataset.Table}; DROP FUNCTION {function}();";
    }
}
