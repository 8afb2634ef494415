using BulkDurable.Cli.Tests.Infrastructure;

namespace BulkDurable.Cli.Tests.Commands;

/// <summary>Whatever is wrong on the command line or in the settings: a clear message on stderr, exit code 2, nothing done.</summary>
public sealed class UsageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(new string[0], "Required command was not provided")]
    [InlineData(new[] { "frobnicate" }, "frobnicate")]
    [InlineData(new[] { "load", "/no/such/file.ndjson", "--dataset", "sensor_readings" }, "File not found: '/no/such/file.ndjson'")]
    [InlineData(new[] { "load", "-", "--dataset", "sensor_readings" }, "needs --format")]
    [InlineData(new[] { "load", "-", "--format", "ndjson" }, "Option '--dataset' is required")]
    [InlineData(new[] { "load", "-", "--dataset", "sensor_readings", "--format", "ndjson", "--parallelism", "0" }, "--parallelism must be between 1 and 256")]
    [InlineData(new[] { "load", "-", "--dataset", "sensor_readings", "--format", "ndjson", "--chunk-records", "abc" }, "abc")]
    [InlineData(new[] { "load", "-", "--dataset", "sensor_readings", "--format", "ndjson", "--job", "not/valid" }, "--job: job ids are")]
    [InlineData(new[] { "submit", "x.ndjson", "--dataset", "sensor_readings" }, "Option '--endpoint' is required")]
    [InlineData(new[] { "migrate", "--grant-to", "bad\"role" }, "is not a valid role name")]
    public async Task Bad_arguments_print_an_error_and_exit_with_2(string[] args, string message)
    {
        var result = await CliRunner.RunAsync(CliRunner.CatalogOnly(), args, Ct);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Stderr);
        Assert.Contains("--help' for usage", result.Stderr);
        Assert.Empty(result.Stdout);
    }

    [Theory]
    [InlineData("status", "some-job")]
    [InlineData("failed-records", "some-job")]
    [InlineData("load", "-", "--dataset", "sensor_readings", "--format", "ndjson")]
    public async Task Commands_that_need_the_servers_name_every_missing_setting_and_exit_with_2(params string[] args)
    {
        var result = await CliRunner.RunAsync(CliRunner.CatalogOnly(), args, Ct);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("missing or invalid settings", result.Stderr);
        Assert.Contains("BulkDurable__Postgres__ConnectionString", result.Stderr);
        Assert.Contains("BulkDurable__Storage__ConnectionString, BulkDurable__Storage__ServiceUri", result.Stderr);
    }

    [Fact]
    public async Task An_invalid_setting_is_named_with_its_environment_variable()
    {
        var settings = new Dictionary<string, string?>
        {
            ["BulkDurable:Postgres:ConnectionString"] = "Host=127.0.0.1",
            ["BulkDurable:Storage:ConnectionString"] = "UseDevelopmentStorage=true",
            ["BulkDurable:Ingestion:ChunkRecords"] = "0",
        };

        var result = await CliRunner.RunAsync(CliRunner.CatalogOnly(settings), ["status", "some-job"], Ct);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("The field ChunkRecords must be between 1 and 1000000. Environment variable: BulkDurable__Ingestion__ChunkRecords", result.Stderr);
    }

    [Fact]
    public async Task Help_describes_every_command_and_exits_with_0()
    {
        var result = await CliRunner.RunAsync(CliRunner.CatalogOnly(), ["--help"], Ct);

        Assert.Equal(0, result.ExitCode);
        foreach (var command in new[] { "load", "status", "failed-records", "submit", "datasets", "generate", "migrate" })
        {
            Assert.Contains("  " + command, result.Stdout);
        }
    }
}
