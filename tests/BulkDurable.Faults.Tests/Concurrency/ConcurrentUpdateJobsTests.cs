using System.Globalization;
using BulkDurable.Faults.Tests.Infrastructure;
using BulkDurable.Ingestion.Catalog;
using BulkDurable.Ingestion.Jobs;
using BulkDurable.Ingestion.Payloads;
using BulkDurable.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace BulkDurable.Faults.Tests.Concurrency;

/// <summary>
/// Two jobs write the same keys at the same time with conflict action <c>update</c>, each with
/// three chunks in flight. Their chunks cover the same key ranges, but B lists the ranges in the
/// opposite order (the jobs sweep towards each other and cross) and each chunk lists its keys in a
/// different order, so only the loader's deterministic (conflict-key) lock order keeps them from
/// deadlocking. Neither job fails, and the table is what applying the chunk transactions one after
/// the other produces: every key range holds exactly one job's values.
/// </summary>
public sealed class ConcurrentUpdateJobsTests(ServersFixture servers)
{
    private const int Chunks = 20;
    private const int ChunkRecords = 1_000;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Two_jobs_updating_the_same_keys_at_once_neither_deadlock_nor_fail_and_end_as_one_serial_order()
    {
        var dataset = await TestDataset.SensorReadingsAsync(servers.DataSource, ConflictAction.Update);
        var retries = new RetryLog();
        await using var host = IngestionTestHost.Create(
            servers.Servers,
            new Dictionary<string, string?> { ["BulkDurable:Ingestion:ChunkRecords"] = ChunkRecords.ToString(CultureInfo.InvariantCulture) },
            services => services.AddSingleton<ILoggerProvider>(retries),
            dataset);
        var payloads = new Dictionary<string, SensorPayload>
        {
            ["A"] = Payload(valueOffset: 0.25, note: "A", seed: 1, reversed: false),
            ["B"] = Payload(valueOffset: 0.75, note: "B", seed: 2, reversed: true),
        };
        var jobs = new Dictionary<string, JobDescriptor>();
        foreach (var (name, payload) in payloads)
        {
            jobs[name] = await host.SubmitAsync(dataset.Name, PayloadFormat.Ndjson, payload.Bytes);
        }

        var runs = await Task.WhenAll(jobs.Values.Select(job => host.RunAsync(job, parallelism: 3, Ct)));

        Assert.All(runs, run => Assert.Empty(run.Result.FailedChunks));
        Assert.All(runs, run => Assert.Equal(JobState.Completed, run.Result.State));

        // Each key range holds one job's values, all of them: chunk transactions are atomic.
        var winners = await WinnerByRangeAsync(dataset);
        Assert.Equal(Chunks, winners.Count);

        // And the winner is the job whose chunk came second: it updated every row the other inserted.
        var ledger = await LedgerAsync(jobs.ToDictionary(j => j.Value.JobId, j => j.Key));
        for (var range = 0; range < Chunks; range++)
        {
            var winner = winners[range];
            var loser = Other(winner);
            Assert.Equal((0L, (long)ChunkRecords), ledger[(winner, ChunkOf(winner, range))]);
            Assert.Equal(((long)ChunkRecords, 0L), ledger[(loser, ChunkOf(loser, range))]);
        }

        // The same serial order applied by PostgreSQL itself gives the same table.
        await using var reference = await ReferenceTable.CreateAsync(host, dataset.Name);
        await reference.ApplyJsonAsync(Enumerable.Range(0, Chunks).SelectMany(r => RecordsOf(payloads, Other(winners[r]), r)));
        await reference.ApplyJsonAsync(Enumerable.Range(0, Chunks).SelectMany(r => RecordsOf(payloads, winners[r], r)));
        foreach (var job in jobs.Values)
        {
            await InvariantChecker.AssertAsync(host, job.JobId, new JobExpectation { Dataset = dataset.Name, Submitted = Chunks * ChunkRecords, State = JobState.Completed, Reference = reference }, Ct);
        }

        Assert.Equal(Chunks * ChunkRecords, runs.Sum(r => r.Result.Inserted));
        Assert.Equal(Chunks * ChunkRecords, runs.Sum(r => r.Result.Updated));
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"2 jobs × {Chunks} chunks, 3 in flight each, sweeping towards each other: 0 failed chunks; key ranges ending with A's values: {winners.Count(w => w.Value == "A")}, with B's: {winners.Count(w => w.Value == "B")}; retries: {(retries.Retries.Count == 0 ? "none" : retries.Describe())}");
    }

    /// <summary>
    /// Key range r holds the keys (sensor rNN, epoch + i s) for i in r's thousand; job A's chunk c is
    /// range c, job B's is range 19 - c; within a chunk the keys are shuffled, differently per job.
    /// </summary>
    private static SensorPayload Payload(double valueOffset, string note, int seed, bool reversed)
    {
        var random = new Random(seed);
        var order = Enumerable.Range(0, Chunks)
            .Select(c => reversed ? Chunks - 1 - c : c)
            .SelectMany(r => Enumerable.Range((r * ChunkRecords) + 1, ChunkRecords).OrderBy(_ => random.Next()))
            .ToList();
        return SensorPayload.Generate(order.Count, valueOffset: valueOffset, sensor: i => Sensor((i - 1) / ChunkRecords), note: _ => note, order: order);
    }

    private static string Sensor(int range) => "r" + range.ToString("D2", CultureInfo.InvariantCulture);

    private static string Other(string job) => job == "A" ? "B" : "A";

    private static int ChunkOf(string job, int range) => job == "A" ? range : Chunks - 1 - range;

    private static IEnumerable<string> RecordsOf(Dictionary<string, SensorPayload> payloads, string job, int range) =>
        payloads[job].ValidRecords.Skip(ChunkOf(job, range) * ChunkRecords).Take(ChunkRecords);

    private async Task<Dictionary<int, string>> WinnerByRangeAsync(TestDataset dataset)
    {
        var winners = new Dictionary<int, string>();
        await using var command = servers.DataSource.CreateCommand($"SELECT sensor_id, count(*), count(DISTINCT note), min(note) FROM {dataset.Table} GROUP BY sensor_id");
        await using var reader = await command.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
        {
            var sensor = reader.GetString(0);
            Assert.Equal(ChunkRecords, reader.GetInt64(1));
            Assert.True(reader.GetInt64(2) == 1, $"the key range of {sensor} mixes the values of both jobs");
            winners[int.Parse(sensor[1..], CultureInfo.InvariantCulture)] = reader.GetString(3);
        }

        return winners;
    }

    private async Task<Dictionary<(string Job, int Chunk), (long Inserted, long Updated)>> LedgerAsync(Dictionary<string, string> nameByJobId)
    {
        var ledger = new Dictionary<(string, int), (long, long)>();
        await using var command = servers.DataSource.CreateCommand("SELECT job_id, chunk_index, inserted, updated FROM bulkdurable.chunk_ledger WHERE job_id = ANY($1)");
        command.Parameters.Add(new NpgsqlParameter { Value = nameByJobId.Keys.ToArray() });
        await using var reader = await command.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
        {
            ledger[(nameByJobId[reader.GetString(0)], reader.GetInt32(1))] = (reader.GetInt64(2), reader.GetInt64(3));
        }

        return ledger;
    }
}
