using BulkDurable.Cli.Tests.Infrastructure;
using BulkDurable.Ingestion.Payloads;
using BulkDurable.Testing;

namespace BulkDurable.Cli.Tests.Api;

/// <summary><c>bulkdurable submit</c> against an in-process API with the real engine behind it.</summary>
public sealed class SubmitCommandTests(ServersFixture servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Submit_with_watch_sends_the_file_as_the_body_follows_the_job_honouring_retry_after_and_the_rows_are_loaded()
    {
        await using var test = await CliTestHost.CreateAsync(servers);
        await using var api = await FakeJobsApi.StartAsync(test.Host, throttledPolls: 1);
        var file = await Payloads.WriteAsync(test.Files.File("readings.ndjson"), test.CatalogDataset, PayloadFormat.Ndjson, 4_000, Ct);
        var clock = new RecordingTimeProvider();

        var result = await CliRunner.RunAsync(
            CliRunner.CatalogOnly(),
            ["submit", file, "--endpoint", api.Endpoint.ToString(), "--dataset", test.Dataset.Name, "--function-key", FakeJobsApi.FunctionKey, "--watch", "--json"],
            Ct,
            timeProvider: clock);

        Assert.True(result.ExitCode == 0, result.ToString());
        var status = result.Json();
        Assert.Equal("Completed", status.GetProperty("state").GetString());
        Assert.Equal(4_000, status.GetProperty("progress").GetProperty("records").GetProperty("inserted").GetInt64());
        Assert.Equal(4_000, await test.RowCountAsync());
        var jobId = status.GetProperty("jobId").GetString()!;
        Assert.Equal(FakeJobsApi.Sha256Of(file), api.ReceivedPayloads[jobId]);
        Assert.Equal(TimeSpan.FromSeconds(1), clock.Delays[0]);
        Assert.Equal(TimeSpan.FromSeconds(3), clock.Delays[1]);
        Assert.All(clock.Delays.Skip(2), delay => Assert.Equal(TimeSpan.FromSeconds(1), delay));
        Assert.DoesNotContain(FakeJobsApi.FunctionKey, result.Stdout + result.Stderr);
        Assert.DoesNotContain("system-key-secret", result.Stdout + result.Stderr);
    }

    [Fact]
    public async Task Submitting_again_with_the_same_idempotency_key_returns_the_same_job_and_says_it_was_replayed()
    {
        await using var test = await CliTestHost.CreateAsync(servers);
        await using var api = await FakeJobsApi.StartAsync(test.Host);
        var file = await Payloads.WriteAsync(test.Files.File("readings.csv"), test.CatalogDataset, PayloadFormat.Csv, 500, Ct);
        var settings = CliRunner.CatalogOnly(new Dictionary<string, string?> { ["BULKDURABLE_FUNCTION_KEY"] = FakeJobsApi.FunctionKey });
        // The endpoint may be given with the /api route prefix: the client strips it.
        string[] args = ["submit", file, "-e", new Uri(api.Endpoint, "api/").ToString(), "-d", test.Dataset.Name, "--key", "nightly-2024-01-01"];

        var first = await CliRunner.RunAsync(settings, args, Ct);
        var second = await CliRunner.RunAsync(settings, args, Ct);

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(first.Stdout, second.Stdout);
        Assert.DoesNotContain("replayed", first.Stderr);
        Assert.Contains("replayed", second.Stderr);
        Assert.Single(api.ReceivedPayloads);
    }

    [Fact]
    public async Task A_payload_above_max_body_bytes_is_uploaded_through_an_upload_url()
    {
        await using var test = await CliTestHost.CreateAsync(servers);
        await using var api = await FakeJobsApi.StartAsync(test.Host);
        var file = await Payloads.WriteAsync(test.Files.File("readings.json.gz"), test.CatalogDataset, PayloadFormat.JsonArray, 3_000, Ct);

        var result = await CliRunner.RunAsync(
            CliRunner.CatalogOnly(),
            ["submit", file, "--endpoint", api.Endpoint.ToString(), "--dataset", test.Dataset.Name, "--function-key", FakeJobsApi.FunctionKey, "--max-body-bytes", "1024", "--watch"],
            Ct,
            timeProvider: new RecordingTimeProvider());

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(1, api.Uploads);
        Assert.Contains("upload URL", result.Stderr);
        Assert.DoesNotContain("sig=", result.Stdout + result.Stderr);
        Assert.Contains("State      Completed", result.Stdout);
        Assert.Equal(FakeJobsApi.Sha256Of(file), Assert.Single(api.ReceivedPayloads).Value);
        Assert.Equal(3_000, await test.RowCountAsync());
    }

    [Fact]
    public async Task A_problem_response_to_bad_input_prints_title_and_detail_and_exits_with_2()
    {
        await using var test = await CliTestHost.CreateAsync(servers);
        await using var api = await FakeJobsApi.StartAsync(test.Host);
        var file = await Payloads.WriteAsync(test.Files.File("readings.ndjson"), test.CatalogDataset, PayloadFormat.Ndjson, 10, Ct);

        var result = await CliRunner.RunAsync(
            CliRunner.CatalogOnly(),
            ["submit", file, "--endpoint", api.Endpoint.ToString(), "--dataset", "no_such_dataset", "--function-key", FakeJobsApi.FunctionKey],
            Ct);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("error: Unknown dataset.: Unknown dataset 'no_such_dataset'.", result.Stderr);
        Assert.Empty(result.Stdout);
    }

    [Fact]
    public async Task A_server_error_prints_the_problem_and_exits_with_1()
    {
        await using var test = await CliTestHost.CreateAsync(servers);
        await using var api = await FakeJobsApi.StartAsync(test.Host, failSubmissions: true);
        var file = await Payloads.WriteAsync(test.Files.File("readings.ndjson"), test.CatalogDataset, PayloadFormat.Ndjson, 10, Ct);

        var result = await CliRunner.RunAsync(
            CliRunner.CatalogOnly(),
            ["submit", file, "--endpoint", api.Endpoint.ToString(), "--dataset", test.Dataset.Name, "--function-key", FakeJobsApi.FunctionKey],
            Ct);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error: The service failed.: Something broke on the server.", result.Stderr);
    }

    [Fact]
    public async Task A_refused_function_key_is_a_usage_error_that_says_how_to_pass_one()
    {
        await using var test = await CliTestHost.CreateAsync(servers);
        await using var api = await FakeJobsApi.StartAsync(test.Host);
        var file = await Payloads.WriteAsync(test.Files.File("readings.ndjson"), test.CatalogDataset, PayloadFormat.Ndjson, 10, Ct);

        var result = await CliRunner.RunAsync(
            CliRunner.CatalogOnly(),
            ["submit", file, "--endpoint", api.Endpoint.ToString(), "--dataset", test.Dataset.Name, "--function-key", "wrong-key"],
            Ct);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("401", result.Stderr);
        Assert.Contains("--function-key", result.Stderr);
        Assert.DoesNotContain("wrong-key", result.Stderr);
        Assert.Empty(api.ReceivedPayloads);
    }
}
