using System.Text;
using BulkDurable.Cli.Tests.Infrastructure;
using BulkDurable.Ingestion.Payloads;
using BulkDurable.Testing;

namespace BulkDurable.Cli.Tests.Commands;

public sealed class LoadCommandTests(ServersFixture servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Load_with_json_prints_exactly_one_summary_object_and_inserts_every_record()
    {
        await using var test = await CliTestHost.CreateAsync(servers);
        var file = await Payloads.WriteAsync(test.Files.File("readings.ndjson"), test.CatalogDataset, PayloadFormat.Ndjson, 20_000, Ct);

        var result = await test.RunAsync("load", file, "--dataset", test.Dataset.Name, "--chunk-records", "2000", "--parallelism", "2", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var json = result.Json();
        Assert.Equal(
            ["jobId", "dataset", "state", "submitted", "inserted", "updated", "unchanged", "rejected", "notLoaded", "chunks", "chunksSkipped", "chunksNotLoaded", "seconds", "rowsPerSecond", "hasFailedRecords", "failedRecordsTruncated", "problems"],
            json.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Completed", json.GetProperty("state").GetString());
        Assert.Equal(20_000, json.GetProperty("submitted").GetInt64());
        Assert.Equal(20_000, json.GetProperty("inserted").GetInt64());
        Assert.Equal(10, json.GetProperty("chunks").GetInt32());
        Assert.Equal(0, json.GetProperty("chunksSkipped").GetInt32());
        Assert.True(json.GetProperty("seconds").GetDouble() > 0);
        Assert.Equal(20_000, await test.RowCountAsync());
    }

    [Fact]
    public async Task Load_with_json_reports_the_payload_problems_that_make_a_job_complete_with_errors()
    {
        await using var test = await CliTestHost.CreateAsync(servers);
        var file = test.Files.File("trailing-comma.json");
        await File.WriteAllTextAsync(file, "[\n{\"sensor_id\":\"a\",\"sampled_at\":\"2024-01-01T00:00:00Z\"},\n{\"sensor_id\":\"b\",\"sampled_at\":\"2024-01-01T00:00:00Z\"},\n]\n", Ct);

        var result = await test.RunAsync("load", file, "--dataset", test.Dataset.Name, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var json = result.Json();
        Assert.Equal("CompletedWithErrors", json.GetProperty("state").GetString());
        Assert.Equal((2L, 0L, 0L), (json.GetProperty("inserted").GetInt64(), json.GetProperty("rejected").GetInt64(), json.GetProperty("notLoaded").GetInt64()));
        var problem = Assert.Single(json.GetProperty("problems").EnumerateArray().ToList());
        Assert.Equal(4, problem.GetProperty("line").GetInt64());
        Assert.Equal("trailing comma before ']'", problem.GetProperty("message").GetString());
        Assert.False(json.TryGetProperty("error", out _));
    }

    [Fact]
    public async Task Records_after_a_structural_break_in_a_json_array_are_counted_and_loaded_or_rejected()
    {
        await using var test = await CliTestHost.CreateAsync(servers);
        var file = test.Files.File("break.json");
        await File.WriteAllTextAsync(file, "[{\"sensor_id\":\"a\",\"sampled_at\":\"2024-01-01T00:00:00Z\"} oops, {\"sensor_id\":\"b\",\"sampled_at\":\"2024-01-01T00:00:00Z\"}, {\"sensor_id\":\"c\"}]", Ct);

        var result = await test.RunAsync("load", file, "--dataset", test.Dataset.Name, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var json = result.Json();
        Assert.Equal(
            (4L, 2L, 2L),
            (json.GetProperty("submitted").GetInt64(), json.GetProperty("inserted").GetInt64(), json.GetProperty("rejected").GetInt64()));
        Assert.Equal(2, await test.RowCountAsync());
    }

    [Fact]
    public async Task A_failed_load_with_json_says_why()
    {
        await using var test = await CliTestHost.CreateAsync(servers);
        var file = test.Files.File("readings.csv");
        await File.WriteAllTextAsync(file, "sensor_id,value\ns1,1.5\n", Ct);

        var result = await test.RunAsync("load", file, "--dataset", test.Dataset.Name, "--json");

        Assert.Equal(1, result.ExitCode);
        var json = result.Json();
        Assert.Equal("Failed", json.GetProperty("state").GetString());
        Assert.StartsWith("Line 1: CSV header mismatch: required column missing: sampled_at", json.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_load_of_one_record_reports_a_rate_from_its_elapsed_time()
    {
        await using var test = await CliTestHost.CreateAsync(servers);
        var file = test.Files.File("one.csv");
        await File.WriteAllTextAsync(file, "sensor_id,sampled_at\ns1,2024-01-01T00:00:00Z\n", Ct);

        var result = await test.RunAsync("load", file, "--dataset", test.Dataset.Name, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var json = result.Json();
        var seconds = json.GetProperty("seconds").GetDouble();
        Assert.True(seconds > 0, result.ToString());
        Assert.InRange(json.GetProperty("rowsPerSecond").GetDouble(), 0.95 / seconds, 1.05 / seconds);
    }

    [Fact]
    public async Task Load_shows_progress_on_stderr_and_a_human_summary_on_stdout()
    {
        await using var test = await CliTestHost.CreateAsync(servers);
        var file = await Payloads.WriteAsync(test.Files.File("readings.csv"), test.CatalogDataset, PayloadFormat.Csv, 5_000, Ct);

        var result = await test.RunAsync("load", file, "--dataset", test.Dataset.Name, "--chunk-records", "1000");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("100.0%", result.Stderr);
        Assert.Contains("5,000/5,000 records", result.Stderr);
        Assert.Contains("5/5 chunks", result.Stderr);
        Assert.Contains(": Completed in ", result.Stdout);
        Assert.Contains("5,000 submitted: 5,000 inserted, 0 updated, 0 unchanged, 0 rejected", result.Stdout);
        Assert.Equal(5_000, await test.RowCountAsync());
    }

    [Fact]
    public async Task Load_takes_format_and_gzip_from_the_file_name()
    {
        await using var test = await CliTestHost.CreateAsync(servers);
        var file = await Payloads.WriteAsync(test.Files.File("readings.json.gz"), test.CatalogDataset, PayloadFormat.JsonArray, 3_000, Ct);

        var result = await test.RunAsync("load", file, "--dataset", test.Dataset.Name, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(3_000, result.Json().GetProperty("inserted").GetInt64());
        Assert.Equal(3_000, await test.RowCountAsync());
    }

    [Fact]
    public async Task Load_reads_standard_input_with_an_explicit_format()
    {
        await using var test = await CliTestHost.CreateAsync(servers);
        var file = await Payloads.WriteAsync(test.Files.File("readings.ndjson"), test.CatalogDataset, PayloadFormat.Ndjson, 2_500, Ct);
        await using var stdin = File.OpenRead(file);

        var result = await CliRunner.RunAsync(test.Configuration, ["load", "-", "--dataset", test.Dataset.Name, "--format", "ndjson", "--json"], Ct, stdin);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(2_500, await test.RowCountAsync());
    }

    [Fact]
    public async Task Rerunning_a_finished_job_skips_every_chunk_and_uploads_nothing()
    {
        await using var test = await CliTestHost.CreateAsync(servers);
        var file = await Payloads.WriteAsync(test.Files.File("readings.ndjson"), test.CatalogDataset, PayloadFormat.Ndjson, 6_000, Ct);
        var rerunJob = TestJobIds.New("rerun");
        string[] args = ["load", file, "--dataset", test.Dataset.Name, "--job", rerunJob, "--chunk-records", "1000", "--json"];
        var first = await test.RunAsync(args);
        Assert.True(first.ExitCode == 0, first.ToString());
        var uploads = await test.BlobCountAsync("uploads/");

        var second = await test.RunAsync(args);

        Assert.True(second.ExitCode == 0, second.ToString());
        var json = second.Json();
        Assert.Equal(rerunJob, json.GetProperty("jobId").GetString());
        Assert.Equal(6, json.GetProperty("chunksSkipped").GetInt32());
        Assert.Equal(6_000, json.GetProperty("inserted").GetInt64());
        Assert.Contains("not uploaded again", second.Stderr);
        Assert.Equal(uploads, await test.BlobCountAsync("uploads/"));
        Assert.Equal(6_000, await test.RowCountAsync());
    }

    [Fact]
    public async Task Resuming_a_job_with_another_file_is_a_usage_error_that_loads_nothing()
    {
        await using var test = await CliTestHost.CreateAsync(servers);
        var file = await Payloads.WriteAsync(test.Files.File("a.ndjson"), test.CatalogDataset, PayloadFormat.Ndjson, 1_000, Ct);
        var other = test.Files.File("b.ndjson");
        await File.WriteAllTextAsync(other, "{\"sensor_id\":\"x\",\"sampled_at\":\"2024-01-01T00:00:00Z\"}\n", Ct);
        var conflictJob = TestJobIds.New("conflict");
        Assert.Equal(0, (await test.RunAsync("load", file, "--dataset", test.Dataset.Name, "--job", conflictJob)).ExitCode);

        var result = await test.RunAsync("load", other, "--dataset", test.Dataset.Name, "--job", conflictJob);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("was started with another payload", result.Stderr);
        Assert.Equal(1_000, await test.RowCountAsync());
    }

    [Fact]
    public async Task Rejected_records_within_the_threshold_complete_with_errors_and_can_be_listed()
    {
        await using var test = await CliTestHost.CreateAsync(servers);
        var file = test.Files.File("mixed.ndjson");
        await File.WriteAllTextAsync(file, MixedPayload(good: 8, badAt: [3, 7]), Ct);

        var mixedJob = TestJobIds.New("mixed");
        var load = await test.RunAsync("load", file, "--dataset", test.Dataset.Name, "--job", mixedJob, "--json");
        var failed = await test.RunAsync("failed-records", mixedJob);

        Assert.True(load.ExitCode == 0, load.ToString());
        Assert.Equal("CompletedWithErrors", load.Json().GetProperty("state").GetString());
        Assert.Equal(2, load.Json().GetProperty("rejected").GetInt64());
        Assert.Equal(0, failed.ExitCode);
        var lines = failed.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Contains("\"recordNumber\":3", lines[0]);
        Assert.Contains("\"recordNumber\":7", lines[1]);
        Assert.Equal(8, await test.RowCountAsync());
    }

    [Fact]
    public async Task Rejections_beyond_the_threshold_fail_the_job_with_exit_code_1()
    {
        await using var test = await CliTestHost.CreateAsync(servers, settings: new Dictionary<string, string?> { ["BulkDurable:Ingestion:ToleratedRejectedRecordRatio"] = "0" });
        var file = test.Files.File("mixed.ndjson");
        await File.WriteAllTextAsync(file, MixedPayload(good: 5, badAt: [2]), Ct);

        var result = await test.RunAsync("load", file, "--dataset", test.Dataset.Name);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(": Failed in ", result.Stdout);
        Assert.Contains("failed-records", result.Stdout);
    }

    [Fact]
    public async Task A_dataset_missing_from_the_catalog_is_a_usage_error()
    {
        await using var test = await CliTestHost.CreateAsync(servers);
        var file = await Payloads.WriteAsync(test.Files.File("readings.ndjson"), test.CatalogDataset, PayloadFormat.Ndjson, 10, Ct);

        var result = await test.RunAsync("load", file, "--dataset", "no_such_dataset");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Unknown dataset 'no_such_dataset'", result.Stderr);
        Assert.Equal(0, await test.BlobCountAsync("uploads/"));
    }

    [Fact]
    public async Task A_file_name_without_a_known_extension_needs_a_format()
    {
        await using var test = await CliTestHost.CreateAsync(servers);
        var file = await Payloads.WriteAsync(test.Files.File("readings.txt"), test.CatalogDataset, PayloadFormat.Ndjson, 10, Ct);

        var refused = await test.RunAsync("load", file, "--dataset", test.Dataset.Name);
        var accepted = await test.RunAsync("load", file, "--dataset", test.Dataset.Name, "--format", "ndjson");

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("--format", refused.Stderr);
        Assert.True(accepted.ExitCode == 0, accepted.ToString());
        Assert.Equal(10, await test.RowCountAsync());
    }

    /// <summary>NDJSON sensor readings; the records at the given 1-based positions have an invalid timestamp.</summary>
    private static string MixedPayload(int good, int[] badAt)
    {
        var text = new StringBuilder();
        for (int record = 1, written = 0; written < good || badAt.Contains(record); record++)
        {
            var timestamp = badAt.Contains(record) ? "not-a-time" : $"2024-01-01T00:00:{written++:00}Z";
            text.Append($"{{\"sensor_id\":\"s-{record}\",\"sampled_at\":\"{timestamp}\",\"value\":1.5}}\n");
        }

        return text.ToString();
    }
}
