using System.Globalization;
using BulkDurable.EndToEnd.Tests.Infrastructure;
using BulkDurable.Ingestion.Jobs;
using BulkDurable.Testing;

namespace BulkDurable.EndToEnd.Tests.Reliability;

/// <summary>
/// Failures on the Durable path end the job in a terminal state with its result, and reach clients as
/// stable codes and safe messages while the logs keep the details.
/// </summary>
public sealed class FailureTests(ServersFixture servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    [Trait("Category", "LocalHostOnly")]
    public async Task A_failure_the_orchestration_does_not_expect_still_finalizes_the_job_as_failed()
    {
        var settings = new Dictionary<string, string?>
        {
            ["BulkDurable:Ingestion:ChunkRecords"] = "200",
            ["LocalHost:Faults:Point"] = "JobPlanned",
            ["LocalHost:Faults:Action"] = "Throw",
            ["LocalHost:Faults:Repeat"] = "true",
        };
        await using var bed = await DurableTestBed.CreateAsync(servers, settings, Ct);
        var payload = SensorPayload.Generate(1_000);

        var accepted = await bed.Api.SubmitAsync(bed.Dataset.Name, payload.Bytes, "application/x-ndjson", cancellationToken: Ct);

        var jobId = accepted.Json.GetProperty("jobId").GetString()!;
        var status = await bed.Api.WaitForTerminalAsync(jobId, TimeSpan.FromMinutes(1), Ct);
        Assert.Equal("Failed", status.GetProperty("state").GetString());
        Assert.NotEmpty(status.GetProperty("errors").EnumerateArray());
        await InvariantChecker.AssertAsync(bed.Engine, jobId, new JobExpectation
        {
            Dataset = bed.Dataset.Name,
            Submitted = payload.Records,
            NotLoaded = payload.Records,
            State = JobState.Failed,
        }, Ct);
    }

    [Fact]
    public async Task A_database_error_reaches_the_client_as_a_stable_code_and_a_safe_message_and_the_log_keeps_its_text()
    {
        var settings = new Dictionary<string, string?>
        {
            ["BulkDurable:Ingestion:ChunkRecords"] = "500",
            ["BulkDurable:Ingestion:ToleratedFailedChunkRatio"] = "1",
        };
        await using var bed = await DurableTestBed.CreateAsync(servers, settings, Ct);
        await RefuseEveryRowAsync(bed);
        var payload = SensorPayload.Generate(1_000);

        var accepted = await bed.Api.SubmitAsync(bed.Dataset.Name, payload.Bytes, "application/x-ndjson", cancellationToken: Ct);

        var jobId = accepted.Json.GetProperty("jobId").GetString()!;
        var status = await bed.Api.WaitForTerminalAsync(jobId, TimeSpan.FromMinutes(2), Ct);
        // The dataset's name is the client's own; the table (its schema and name) and the database's text are not.
        var document = status.GetRawText().Replace($"\"dataset\":\"{bed.Dataset.Name}\"", "", StringComparison.Ordinal);
        Assert.True(status.GetProperty("progress").GetProperty("chunks").GetProperty("failed").GetInt32() == 2, document);
        Assert.Contains("42501", document, StringComparison.Ordinal);
        foreach (var leak in new[] { "secret_table_note", bed.Dataset.Table, "bulkdurable_test", "PL/pgSQL", "Npgsql" })
        {
            Assert.DoesNotContain(leak, document, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Contains("secret_table_note", bed.Host.Output, StringComparison.Ordinal);
        Assert.Contains(jobId, bed.Host.Output, StringComparison.Ordinal);
    }

    private static async Task RefuseEveryRowAsync(DurableTestBed bed)
    {
        var function = bed.Dataset.Table + "_refuse";
        await using var command = bed.DataSource.CreateCommand(string.Create(
            CultureInfo.InvariantCulture,
            $"CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'permission denied: secret_table_note of {bed.Dataset.Table}' USING ERRCODE = '42501'; END $$; "
            + $"CREATE TRIGGER refuse BEFORE INSERT ON {bed.Dataset.Table} FOR EACH ROW EXECUTE FUNCTION {function}();"));
        await command.ExecuteNonQueryAsync();
    }
}
