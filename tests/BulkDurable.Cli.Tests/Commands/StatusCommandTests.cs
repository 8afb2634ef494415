using BulkDurable.Cli.Tests.Infrastructure;
using BulkDurable.Ingestion.Payloads;
using BulkDurable.Testing;

namespace BulkDurable.Cli.Tests.Commands;

public sealed class StatusCommandTests(ServersFixture servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Status_prints_the_jobs_counts_for_people_and_the_api_document_with_json()
    {
        await using var test = await CliTestHost.CreateAsync(servers);
        var file = await Payloads.WriteAsync(test.Files.File("readings.ndjson"), test.CatalogDataset, PayloadFormat.Ndjson, 3_000, Ct);
        var jobId = TestJobIds.New("status");
        Assert.Equal(0, (await test.RunAsync("load", file, "--dataset", test.Dataset.Name, "--job", jobId, "--chunk-records", "1000")).ExitCode);

        var human = await test.RunAsync("status", jobId);
        var json = await test.RunAsync("status", jobId, "--json");

        Assert.Equal(0, human.ExitCode);
        Assert.Contains("State      Completed", human.Stdout);
        Assert.Contains("3,000 submitted: 3,000 inserted, 0 updated, 0 unchanged, 0 rejected", human.Stdout);
        Assert.Contains("3: 3 loaded, 0 failed, 0 pending", human.Stdout);
        Assert.Equal(0, json.ExitCode);
        var document = json.Json();
        Assert.Equal(jobId, document.GetProperty("jobId").GetString());
        Assert.Equal(test.Dataset.Name, document.GetProperty("dataset").GetString());
        Assert.Equal("Completed", document.GetProperty("state").GetString());
        Assert.Equal(3, document.GetProperty("progress").GetProperty("chunks").GetProperty("loaded").GetInt32());
        Assert.Equal(3_000, document.GetProperty("progress").GetProperty("records").GetProperty("inserted").GetInt64());
        Assert.False(document.GetProperty("hasFailedRecords").GetBoolean());
        Assert.False(document.TryGetProperty("links", out _));
    }

    [Fact]
    public async Task Status_of_an_unknown_job_exits_with_1()
    {
        await using var test = await CliTestHost.CreateAsync(servers);

        var result = await test.RunAsync("status", "no-such-job");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("unknown job 'no-such-job'", result.Stderr);
        Assert.Empty(result.Stdout);
    }

    [Fact]
    public async Task A_malformed_job_id_is_a_usage_error()
    {
        await using var test = await CliTestHost.CreateAsync(servers);

        var status = await test.RunAsync("status", "../etc");
        var failed = await test.RunAsync("failed-records", "a b");

        Assert.Equal(2, status.ExitCode);
        Assert.Contains("is not a job id", status.Stderr);
        Assert.Equal(2, failed.ExitCode);
    }

    [Fact]
    public async Task Failed_records_of_a_job_without_rejections_prints_nothing_and_says_so()
    {
        await using var test = await CliTestHost.CreateAsync(servers);
        var file = await Payloads.WriteAsync(test.Files.File("readings.ndjson"), test.CatalogDataset, PayloadFormat.Ndjson, 100, Ct);
        var jobId = TestJobIds.New("clean");
        Assert.Equal(0, (await test.RunAsync("load", file, "--dataset", test.Dataset.Name, "--job", jobId)).ExitCode);

        var result = await test.RunAsync("failed-records", jobId);
        var unknown = await test.RunAsync("failed-records", "no-such-job");

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.Stdout);
        Assert.Contains("has no failed records", result.Stderr);
        Assert.Equal(1, unknown.ExitCode);
    }
}
