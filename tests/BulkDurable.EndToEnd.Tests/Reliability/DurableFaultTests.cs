using System.Globalization;
using BulkDurable.EndToEnd.Tests.Infrastructure;
using BulkDurable.Ingestion.Jobs;
using BulkDurable.Testing;

namespace BulkDurable.EndToEnd.Tests.Reliability;

/// <summary>
/// Faults on the Durable path, on the real engine: the host killed with SIGKILL at a chosen point,
/// Azurite stopped for 20 s, PostgreSQL restarted, a chunk that fails every retry. In each case the
/// job ends with every submitted record loaded once or reported, checked with the InvariantChecker.
/// </summary>
public sealed class DurableFaultTests(ServersFixture servers)
{
    private const int ChunkRecords = 200;

    private static readonly Dictionary<string, string?> SmallChunks = new()
    {
        ["BulkDurable:Ingestion:ChunkRecords"] = "200",
        ["BulkDurable:Orchestration:ChunksPerSegment"] = "4",
        ["BulkDurable:Orchestration:MaxChunksInFlight"] = "2",
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Where the host dies: while planning, in the middle of a segment, while finalizing.</summary>
    public static TheoryData<string, int> KillPoints { get; } = new()
    {
        { "ChunkPlanned", 3 },
        { "ChunkCommitted", 4 },
        { "FailedRecordsMerged", 1 },
    };

    [Theory]
    [MemberData(nameof(KillPoints))]
    [Trait("Category", "LocalHostOnly")]
    public async Task A_host_killed_at_a_fault_point_and_restarted_finishes_the_job_with_nothing_lost_or_duplicated(string point, int onArrival)
    {
        var settings = new Dictionary<string, string?>(SmallChunks)
        {
            ["LocalHost:Faults:Point"] = point,
            ["LocalHost:Faults:OnArrival"] = onArrival.ToString(CultureInfo.InvariantCulture),
        };
        await using var bed = await DurableTestBed.CreateAsync(servers, settings, Ct, chunkDelay: TimeSpan.FromMilliseconds(50));
        var payload = SensorPayload.Generate(3_000, invalidEvery: 101);

        var accepted = await bed.Api.SubmitAsync(bed.Dataset.Name, payload.Bytes, "application/x-ndjson", idempotencyKey: "fault-" + point, cancellationToken: Ct);
        var jobId = accepted.Json.GetProperty("jobId").GetString()!;

        Assert.Equal(137, await bed.Host.WaitForExitAsync(TimeSpan.FromMinutes(1)));
        Assert.Contains("fault: SIGKILL at " + point, bed.Host.Output, StringComparison.Ordinal);
        await bed.Host.RestartAsync(new Dictionary<string, string?> { ["LocalHost:Faults:Point"] = null, ["LocalHost:Faults:OnArrival"] = null }, Ct);

        var status = await bed.Api.WaitForTerminalAsync(jobId, TimeSpan.FromMinutes(3), Ct);
        Assert.Equal("CompletedWithErrors", status.GetProperty("state").GetString());
        await payload.AssertLoadedExactlyAsync(bed.Engine, bed.Dataset.Name, jobId, Ct);
    }

    [Fact]
    public async Task Azurite_stopped_for_20_seconds_mid_job_and_started_again_lets_the_job_finish_exactly()
    {
        await using var azurite = await PrivateAzurite.StartAsync();
        await using var bed = await DurableTestBed.CreateAsync(servers, SmallChunks, Ct, chunkDelay: TimeSpan.FromMilliseconds(150), azurite: azurite);
        var payload = SensorPayload.Generate(4_000);
        var accepted = await bed.Api.SubmitAsync(bed.Dataset.Name, payload.Bytes, "application/x-ndjson", cancellationToken: Ct);
        var jobId = accepted.Json.GetProperty("jobId").GetString()!;
        await bed.Api.WaitForAsync(jobId, s => s.GetProperty("progress").GetProperty("chunks").GetProperty("loaded").GetInt32() >= 2, TimeSpan.FromMinutes(1), Ct);

        await azurite.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(20), Ct);
        await azurite.StartAgainAsync();

        var status = await bed.Api.WaitForAsync(jobId, IsTerminal, TimeSpan.FromMinutes(4), Ct);
        Assert.Equal("Completed", status.GetProperty("state").GetString());
        await payload.AssertLoadedExactlyAsync(bed.Engine, bed.Dataset.Name, jobId, Ct);
    }

    [Fact]
    public async Task PostgreSQL_restarted_mid_job_lets_the_job_finish_exactly()
    {
        await using var postgres = await PrivatePostgres.StartAsync();
        await using var bed = await DurableTestBed.CreateAsync(servers, SmallChunks, Ct, chunkDelay: TimeSpan.FromMilliseconds(150), postgres: postgres);
        var payload = SensorPayload.Generate(4_000, invalidEvery: 250);
        var accepted = await bed.Api.SubmitAsync(bed.Dataset.Name, payload.Bytes, "application/x-ndjson", cancellationToken: Ct);
        var jobId = accepted.Json.GetProperty("jobId").GetString()!;
        await bed.Api.WaitForAsync(jobId, s => s.GetProperty("progress").GetProperty("chunks").GetProperty("loaded").GetInt32() >= 2, TimeSpan.FromMinutes(1), Ct);

        await postgres.RestartAsync();

        var status = await bed.Api.WaitForAsync(jobId, IsTerminal, TimeSpan.FromMinutes(3), Ct);
        Assert.Equal("CompletedWithErrors", status.GetProperty("state").GetString());
        await payload.AssertLoadedExactlyAsync(bed.Engine, bed.Dataset.Name, jobId, Ct);
    }

    [Theory]
    [InlineData("0", JobState.Failed)]
    [InlineData("0.5", JobState.CompletedWithErrors)]
    public async Task A_chunk_that_fails_every_retry_ends_the_job_by_the_tolerated_ratio_and_a_redrive_after_the_fix_loads_exactly_the_rest(string toleratedFailedChunkRatio, JobState expected)
    {
        const int records = 3_000;
        const int poisoned = 1_234;
        var settings = new Dictionary<string, string?>(SmallChunks)
        {
            ["BulkDurable:Ingestion:ToleratedFailedChunkRatio"] = toleratedFailedChunkRatio,
            ["BulkDurable:Orchestration:Retry:MaxAttempts"] = "3",
        };
        await using var bed = await DurableTestBed.CreateAsync(servers, settings, Ct);
        var payload = SensorPayload.Generate(records, invalidEvery: 300, note: i => i == poisoned ? "poison" : "n" + i.ToString(CultureInfo.InvariantCulture));
        var trigger = await RefusePoisonAsync(bed);
        var accepted = await bed.Api.SubmitAsync(bed.Dataset.Name, payload.Bytes, "application/x-ndjson", cancellationToken: Ct);
        var jobId = accepted.Json.GetProperty("jobId").GetString()!;

        var failed = await bed.Api.WaitForTerminalAsync(jobId, TimeSpan.FromMinutes(2), Ct);

        Assert.Equal(expected.ToString(), failed.GetProperty("state").GetString());
        Assert.Contains(failed.GetProperty("errors").EnumerateArray(), e => e.GetProperty("message").GetString()!.Contains("42501", StringComparison.Ordinal));
        Assert.True(failed.GetProperty("hasFailedRecords").GetBoolean());
        Assert.NotEmpty(await bed.Api.FailedRecordsAsync(jobId, Ct));
        Assert.True(await bed.LoadedChunksAsync(jobId) < records / ChunkRecords);

        await using (var command = bed.DataSource.CreateCommand($"DROP TRIGGER {trigger} ON {bed.Dataset.Table}"))
        {
            await command.ExecuteNonQueryAsync(Ct);
        }

        var redrive = await bed.Api.CommandAsync(jobId, "redrive", Ct);

        Assert.True(redrive.Status == System.Net.HttpStatusCode.Accepted, redrive.ToString());
        await bed.Api.WaitForAsync(jobId, s => s.GetProperty("state").GetString() == "CompletedWithErrors" && s.GetProperty("progress").GetProperty("chunks").GetProperty("loaded").GetInt32() == records / ChunkRecords, TimeSpan.FromMinutes(2), Ct);
        await payload.AssertLoadedExactlyAsync(bed.Engine, bed.Dataset.Name, jobId, Ct);
        Assert.Equal(records / ChunkRecords, await bed.LoadedChunksAsync(jobId));
    }

    private static bool IsTerminal(System.Text.Json.JsonElement status) =>
        status.GetProperty("state").GetString() is "Completed" or "CompletedWithErrors" or "Failed" or "Cancelled";

    /// <summary>A trigger that refuses the poisoned record with a permission error (not a data error, so the whole chunk fails).</summary>
    private static async Task<string> RefusePoisonAsync(DurableTestBed bed)
    {
        var function = bed.Dataset.Table + "_poison";
        await using var command = bed.DataSource.CreateCommand(
            $"CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.note = 'poison' THEN RAISE EXCEPTION 'refused' USING ERRCODE = '42501'; END IF; RETURN NEW; END $$; "
            + $"CREATE TRIGGER poison BEFORE INSERT ON {bed.Dataset.Table} FOR EACH ROW EXECUTE FUNCTION {function}();");
        await command.ExecuteNonQueryAsync();
        return "poison";
    }
}
