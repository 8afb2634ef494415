using System.Globalization;
using System.Text.Json;
using BulkDurable.Ingestion.Catalog;
using BulkDurable.Ingestion.Jobs;
using BulkDurable.Ingestion.Payloads;
using BulkDurable.Ingestion.Schema;
using BulkDurable.Ingestion.Serialization;
using BulkDurable.Ingestion.Staging;
using BulkDurable.Ingestion.Synthetic;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace BulkDurable.Benchmarks;

/// <summary>
/// Runs every scenario <see cref="BenchSettings.Runs"/> times on the same data and server and
/// prints medians and the ratios the project's targets are stated in.
/// </summary>
internal sealed class BenchmarkSuite(BenchSettings settings)
{
    private readonly Dictionary<string, List<Measurement>> _results = new(StringComparer.Ordinal);

    public async Task<int> RunAsync()
    {
        var connectionString = Environment.GetEnvironmentVariable("BulkDurable__Postgres__ConnectionString")
            ?? throw new InvalidOperationException("BulkDurable__Postgres__ConnectionString is not set (run through ./bench.sh).");
        var admin = Environment.GetEnvironmentVariable("BENCH_PG_ADMIN");
        Directory.CreateDirectory(settings.WorkDirectory);

        await using var services = EngineHost.Create(settings.ChunkRecords, settings.Parallelism);
        var dataSource = services.GetRequiredService<NpgsqlDataSource>();
        await services.GetRequiredService<SchemaMigrator>().MigrateAsync(CancellationToken.None);
        await ExecuteAsync(dataSource, $"CREATE SCHEMA IF NOT EXISTS bench; DROP TABLE IF EXISTS {EngineHost.Table}; CREATE TABLE {EngineHost.Table} (LIKE public.sensor_readings INCLUDING ALL)");

        var dataset = services.GetRequiredService<DatasetCatalog>().Get(EngineHost.Dataset);
        var ndjson = Path.Combine(settings.WorkDirectory, "readings.ndjson");
        var csv = Path.Combine(settings.WorkDirectory, "readings.csv");
        Console.Error.WriteLine($"Generating {settings.Records:N0} sensor readings (NDJSON and CSV, the same records)...");
        await GenerateAsync(dataset, PayloadFormat.Ndjson, ndjson);
        await GenerateAsync(dataset, PayloadFormat.Csv, csv);
        StagedPayload staged;
        await using (var file = File.OpenRead(ndjson))
        {
            staged = await services.GetRequiredService<PayloadStager>().StageAsync(file, CancellationToken.None);
        }

        var baselines = new Baselines(dataSource, connectionString);
        var readings = settings.BulkDurableOnly ? [] : await Baselines.ReadAsync(ndjson);
        var admins = admin is null ? null : NpgsqlDataSource.Create(admin);
        await using var adminScope = admins;

        // Every scenario starts from the same settled state: an empty table, or a vacuumed full one
        // (so that autovacuum of the previous load does not run during the next measurement), and
        // a checkpoint. None of this is timed.
        async Task Prepare(bool truncate)
        {
            await ExecuteAsync(dataSource, truncate ? $"TRUNCATE {EngineHost.Table}" : $"VACUUM (ANALYZE) {EngineHost.Table}");

            if (admins is not null)
            {
                await ExecuteAsync(admins, "CHECKPOINT");
            }
        }

        if (settings.Sweep)
        {
            return await SweepAsync(staged, Prepare);
        }

        for (var run = 1; run <= settings.Runs; run++)
        {
            Console.Error.WriteLine($"Run {run} of {settings.Runs}");
            if (!settings.BulkDurableOnly)
            {
                await Prepare(truncate: true);
                Record(await baselines.PsqlCopyAsync(csv, settings.Records));
                await Prepare(truncate: true);
                Record(await baselines.MultiRowInsertAsync(readings));
                await Prepare(truncate: true);
                Record(await baselines.RowByRowAsync(readings, settings.Records));
            }

            await Prepare(truncate: true);
            var fresh = NewJob(staged);
            var freshRun = await RunWorkerAsync("BulkDurable fresh", fresh, settings.ChunkRecords, settings.Parallelism);
            Check(freshRun.Result.Inserted == settings.Records, $"fresh load inserted {freshRun.Result.Inserted}, expected {settings.Records}");

            await Prepare(truncate: false);
            var redelivery = await RunWorkerAsync("BulkDurable re-delivery (all rows exist)", NewJob(staged), settings.ChunkRecords, settings.Parallelism);
            Check(redelivery.Result.Inserted == 0 && redelivery.Result.Matched == settings.Records, "re-delivery must insert nothing and match every record");

            await Prepare(truncate: false);
            var resume = await RunWorkerAsync("BulkDurable resume (all chunks in ledger)", fresh, settings.ChunkRecords, settings.Parallelism);
            Check(resume.Result.ChunksSkipped == resume.Result.Chunks, "resume must skip every chunk");
            Check(await CountAsync(dataSource) == settings.Records, "the table must hold exactly the submitted records");
        }

        PrintReport();
        return 0;
    }

    private async Task<int> SweepAsync(StagedPayload staged, Func<bool, Task> prepare)
    {
        int[] chunkSizes = [5_000, 10_000, 20_000, 50_000];
        int[] parallelisms = [1, 2, 3, 4, 6];
        var fresh = new Dictionary<(int, int), double>();
        var redelivery = new Dictionary<(int, int), double>();
        foreach (var chunk in chunkSizes)
        {
            foreach (var parallelism in parallelisms)
            {
                var freshRates = new List<double>();
                var redeliveryRates = new List<double>();
                for (var run = 0; run < settings.Runs; run++)
                {
                    await prepare(true);
                    freshRates.Add((await RunWorkerAsync($"sweep {chunk}x{parallelism}", NewJob(staged), chunk, parallelism)).Measurement.RowsPerSecond);
                    await prepare(false);
                    redeliveryRates.Add((await RunWorkerAsync($"sweep {chunk}x{parallelism}", NewJob(staged), chunk, parallelism)).Measurement.RowsPerSecond);
                }

                fresh[(chunk, parallelism)] = Median(freshRates);
                redelivery[(chunk, parallelism)] = Median(redeliveryRates);
                Console.Error.WriteLine(FormattableString.Invariant($"  {chunk,6} records × {parallelism} in flight: fresh {fresh[(chunk, parallelism)],9:N0} rows/s, re-delivery {redelivery[(chunk, parallelism)],9:N0} rows/s"));
            }
        }

        foreach (var (title, grid) in new[] { ("Fresh load", fresh), ("Re-delivery (every row exists)", redelivery) })
        {
            Console.WriteLine();
            Console.WriteLine($"{title} of {settings.Records:N0} records, rows/s (median of {settings.Runs}); rows: chunk records, columns: chunks in flight");
            Console.WriteLine("| chunk records | " + string.Join(" | ", parallelisms.Select(p => p.ToString(CultureInfo.InvariantCulture))) + " |");
            Console.WriteLine("| ---: | " + string.Join(" | ", parallelisms.Select(_ => "---:")) + " |");
            foreach (var chunk in chunkSizes)
            {
                Console.WriteLine(FormattableString.Invariant($"| {chunk:N0} | ") + string.Join(" | ", parallelisms.Select(p => grid[(chunk, p)].ToString("N0", CultureInfo.InvariantCulture))) + " |");
            }
        }

        return 0;
    }

    private static JobDescriptor NewJob(StagedPayload staged) =>
        new(JobIds.New(), EngineHost.Dataset, PayloadFormat.Ndjson, PayloadCompression.None, staged.BlobName, staged.Sha256, staged.Length, DateTimeOffset.UtcNow);

    private async Task<(WorkerResult Result, Measurement Measurement)> RunWorkerAsync(string scenario, JobDescriptor job, int? chunkRecords, int? parallelism)
    {
        var jobFile = Path.Combine(settings.WorkDirectory, job.JobId + ".json");
        await File.WriteAllTextAsync(jobFile, JsonSerializer.Serialize(job, IngestionJsonContext.Default.JobDescriptor));
        // This program again, the way it was started: its own executable (as bench.sh publishes
        // it, self-contained) or the dotnet host with its assembly.
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("The benchmark's own executable is unknown.");
        var arguments = Path.GetFileNameWithoutExtension(host) == "dotnet"
            ? new List<string> { Path.Combine(AppContext.BaseDirectory, "BulkDurable.Benchmarks.dll"), "worker", jobFile }
            : ["worker", jobFile];
        if (chunkRecords is { } c)
        {
            arguments.AddRange(["--chunk-records", c.ToString(CultureInfo.InvariantCulture)]);
        }

        if (parallelism is { } p)
        {
            arguments.AddRange(["--parallelism", p.ToString(CultureInfo.InvariantCulture)]);
        }

        var (stdout, _, peak) = await ChildProcess.RunAsync(host, arguments);
        var result = JsonSerializer.Deserialize<WorkerResult>(stdout.Trim().Split('\n')[^1])
            ?? throw new InvalidOperationException("The worker printed no result.");
        var measurement = new Measurement(scenario, result.Submitted, TimeSpan.FromSeconds(result.Seconds), peak);

        if (!scenario.StartsWith("sweep", StringComparison.Ordinal))
        {
            Record(measurement);
        }

        return (result, measurement);
    }

    private void Record(Measurement measurement)
    {
        Console.Error.WriteLine($"  {measurement.Scenario,-45} {measurement.RowsPerSecond,12:N0} rows/s  {measurement.Elapsed.TotalSeconds,8:N2} s{(measurement.PeakBytes is { } b ? $"  {b / (1 << 20),6:N0} MB" : "")}");
        if (!_results.TryGetValue(measurement.Scenario, out var list))
        {
            _results[measurement.Scenario] = list = [];
        }

        list.Add(measurement);
    }

    private void PrintReport()
    {
        Console.WriteLine();
        Console.WriteLine($"{settings.Records:N0} sensor readings, median of {settings.Runs} run(s), same data and server for every row:");
        Console.WriteLine($"{"scenario",-47}{"rows/s",12}{"seconds",10}{"peak memory",14}");
        foreach (var (scenario, list) in _results)
        {
            var median = MedianBy(list, m => m.RowsPerSecond);
            var peak = list.Where(m => m.PeakBytes is not null).Select(m => m.PeakBytes!.Value).DefaultIfEmpty().Max();
            Console.WriteLine($"{scenario,-47}{median.RowsPerSecond,12:N0}{median.Elapsed.TotalSeconds,10:N2}{(peak > 0 ? $"{peak / (1 << 20):N0} MB" : "n/a"),14}");
        }

        double Rate(string scenario) => _results.TryGetValue(scenario, out var list) ? MedianBy(list, m => m.RowsPerSecond).RowsPerSecond : double.NaN;
        var fresh = Rate("BulkDurable fresh");
        var psql = Rate("psql \\copy");
        Console.WriteLine();
        Console.WriteLine(FormattableString.Invariant($"RATIO fresh_vs_psql_copy={fresh / psql:F2}"));
        Console.WriteLine(FormattableString.Invariant($"RATIO redelivery_vs_psql_copy={Rate("BulkDurable re-delivery (all rows exist)") / psql:F2}"));
        Console.WriteLine(FormattableString.Invariant($"RATIO resume_vs_fresh={Rate("BulkDurable resume (all chunks in ledger)") / fresh:F2}"));
    }

    private async Task GenerateAsync(Dataset dataset, PayloadFormat format, string path)
    {
        await using var file = File.Create(path);
        await new SyntheticRecordWriter(dataset, format).WriteAsync(file, settings.Records);
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> CountAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand($"SELECT count(*) FROM {EngineHost.Table}");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException("Benchmark check failed: " + message);
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private static Measurement MedianBy(List<Measurement> list, Func<Measurement, double> key) => list.OrderBy(key).ElementAt(list.Count / 2);
}
