using System.IO.Compression;
using System.Text.Json;
using BulkDurable.Cli.Tests.Infrastructure;

namespace BulkDurable.Cli.Tests.Commands;

public sealed class GenerateCommandTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Generate_writes_ndjson_records_to_standard_output_by_default()
    {
        var result = await CliRunner.RunAsync(CliRunner.CatalogOnly(), ["generate", "--dataset", "sensor_readings", "--records", "250"], Ct);

        Assert.Equal(0, result.ExitCode);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(250, lines.Length);
        Assert.All(lines, line => Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(line).RootElement.ValueKind));
        Assert.Empty(result.Stderr);
    }

    [Fact]
    public async Task Generate_to_a_gz_file_writes_gzipped_csv_when_the_name_says_so()
    {
        using var files = new TempDirectory();
        var path = files.File("readings.csv.gz");

        var result = await CliRunner.RunAsync(CliRunner.CatalogOnly(), ["generate", "-d", "sensor_readings", "-n", "100", "-o", path], Ct);

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.Stdout);
        Assert.Contains("Wrote 100 csv records (gzip)", result.Stderr);
        await using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        var text = await new StreamReader(gzip).ReadToEndAsync(Ct);
        Assert.StartsWith("sensor_id,sampled_at,value,note\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_seed_generates_the_same_payload()
    {
        string[] args = ["generate", "-d", "sensor_readings", "-n", "50", "--format", "json", "--seed", "7"];

        var first = await CliRunner.RunAsync(CliRunner.CatalogOnly(), args, Ct);
        var second = await CliRunner.RunAsync(CliRunner.CatalogOnly(), args, Ct);

        Assert.Equal(first.Stdout, second.Stdout);
        Assert.Equal(50, JsonDocument.Parse(first.Stdout).RootElement.GetArrayLength());
    }

    [Theory]
    [InlineData("generate", "--dataset", "nope", "--records", "1")]
    [InlineData("generate", "--dataset", "sensor_readings", "--records", "-5")]
    [InlineData("generate", "--dataset", "sensor_readings")]
    [InlineData("generate", "--dataset", "sensor_readings", "--records", "1", "--format", "xml")]
    public async Task Bad_generate_arguments_are_usage_errors(params string[] args)
    {
        var result = await CliRunner.RunAsync(CliRunner.CatalogOnly(), args, Ct);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: ", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(result.Stdout);
    }
}
