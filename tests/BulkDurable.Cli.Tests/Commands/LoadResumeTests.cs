using BulkDurable.Cli.Tests.Infrastructure;
using BulkDurable.Ingestion.Payloads;
using BulkDurable.Testing;

namespace BulkDurable.Cli.Tests.Commands;

/// <summary>
/// A load stopped half-way, cleanly (Ctrl-C) or not at all cleanly (kill -9), then run again with
/// the same --job: the table ends with every record exactly once. The tables have no conflict key,
/// so a record loaded twice would be a second row.
/// </summary>
public sealed class LoadResumeTests(ServersFixture servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Cancelling_finalizes_the_job_as_cancelled_and_the_same_command_completes_it_exactly()
    {
        const int Records = 60_000;
        await using var test = await CliTestHost.CreateAsync(servers, withConflictKey: false);
        var file = await Payloads.WriteAsync(test.Files.File("readings.ndjson"), test.CatalogDataset, PayloadFormat.Ndjson, Records, Ct);
        var cancelJob = TestJobIds.New("cancel");
        string[] args = ["load", file, "--dataset", test.Dataset.Name, "--job", cancelJob, "--chunk-records", "250", "--parallelism", "1", "--json"];

        using var interruption = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var run = CliRunner.RunAsync(test.Configuration, args, interruption.Token);
        await WaitForChunksAsync(test, cancelJob, 5, run);
        await interruption.CancelAsync();
        var cancelled = await run;

        Assert.True(cancelled.ExitCode == 130, cancelled.ToString());
        var summary = cancelled.Json();
        Assert.Equal("Cancelled", summary.GetProperty("state").GetString());
        Assert.Contains($"--job {cancelJob}", cancelled.Stderr);
        var loaded = await test.RowCountAsync();
        Assert.InRange(loaded, 1, Records - 1);
        Assert.Equal(loaded, summary.GetProperty("inserted").GetInt64());
        var status = await test.RunAsync("status", cancelJob, "--json");
        Assert.Equal("Cancelled", status.Json().GetProperty("state").GetString());

        var resumed = await test.RunAsync(args);

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        var json = resumed.Json();
        Assert.Equal("Completed", json.GetProperty("state").GetString());
        Assert.Equal(Records, json.GetProperty("inserted").GetInt64());
        Assert.Equal(loaded / 250, json.GetProperty("chunksSkipped").GetInt32());
        Assert.Equal(Records, await test.RowCountAsync());
    }

    [Fact]
    public async Task A_load_killed_with_sigkill_is_completed_exactly_by_the_same_command()
    {
        const int Records = 300_000;
        const int Chunks = 300;
        await using var test = await CliTestHost.CreateAsync(servers, withConflictKey: false);
        var file = await Payloads.WriteAsync(test.Files.File("readings.ndjson"), test.CatalogDataset, PayloadFormat.Ndjson, Records, Ct);
        var killedJob = TestJobIds.New("killed");
        string[] args = ["load", file, "--dataset", test.Dataset.Name, "--job", killedJob, "--chunk-records", "1000", "--parallelism", "2", "--json"];

        using (var first = CliProcess.Start(test.Configuration, args))
        {
            await WaitForChunksAsync(test, killedJob, 20, first);
            first.KillHard();
            var killed = await first.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.NotEqual(0, killed.ExitCode);
        }

        var loadedBefore = await test.LedgerChunksAsync(killedJob);
        Assert.InRange(loadedBefore, 20, Chunks - 1);
        Assert.Equal(loadedBefore * 1000, await test.RowCountAsync());

        using var second = CliProcess.Start(test.Configuration, args);
        var resumed = await second.WaitAsync(TimeSpan.FromMinutes(2));

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        var json = resumed.Json();
        Assert.Equal("Completed", json.GetProperty("state").GetString());
        Assert.Equal(Records, json.GetProperty("inserted").GetInt64());
        Assert.True(json.GetProperty("chunksSkipped").GetInt32() >= loadedBefore, resumed.ToString());
        Assert.Equal(Records, await test.RowCountAsync());
    }

    private static async Task WaitForChunksAsync(CliTestHost test, string jobId, int chunks, Task<CliResult> run)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (await test.LedgerChunksAsync(jobId) < chunks)
        {
            if (run.IsCompleted)
            {
                Assert.Fail($"the load ended before {chunks} chunks were in the ledger: {await run}");
            }

            Assert.True(DateTime.UtcNow < deadline, $"fewer than {chunks} chunks after a minute");
            await Task.Delay(10, Ct);
        }
    }

    private static async Task WaitForChunksAsync(CliTestHost test, string jobId, int chunks, CliProcess process)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (await test.LedgerChunksAsync(jobId) < chunks)
        {
            if (process.HasExited)
            {
                Assert.Fail($"the load ended before {chunks} chunks were in the ledger: {await process.WaitAsync(TimeSpan.FromSeconds(5))}");
            }

            Assert.True(DateTime.UtcNow < deadline, $"fewer than {chunks} chunks after a minute");
            await Task.Delay(10, Ct);
        }
    }
}
