using BulkDurable.Cli.Tests.Infrastructure;
using BulkDurable.Testing;

namespace BulkDurable.Cli.Tests.Commands;

public sealed class DatasetsCommandTests(ServersFixture servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Datasets_lists_the_shipped_catalog_without_any_server_settings()
    {
        var result = await CliRunner.RunAsync(CliRunner.CatalogOnly(), ["datasets"], Ct);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("sensor_readings -> public.sensor_readings", result.Stdout);
        Assert.Contains("sensor_id text not null, sampled_at timestamptz not null, value double, note text", result.Stdout);
        Assert.Contains("key (sensor_id, sampled_at), on conflict Ignore", result.Stdout);
    }

    [Fact]
    public async Task Check_reports_matching_tables_and_exits_1_when_one_does_not_match()
    {
        await using var test = await CliTestHost.CreateAsync(servers);
        var settings = new Dictionary<string, string?>
        {
            ["BulkDurable:Postgres:ConnectionString"] = servers.Servers.PostgresConnectionString,
            ["BulkDurable:Datasets:missing_table:Table"] = $"{ServersFixture.TestSchema}.t_does_not_exist",
            ["BulkDurable:Datasets:missing_table:Columns:0:Name"] = "id",
        };
        foreach (var (key, value) in test.Dataset.ConfigurationEntries())
        {
            settings[key] = value;
        }

        var result = await CliRunner.RunAsync(CliRunner.CatalogOnly(settings), ["datasets", "--check"], Ct);

        Assert.Equal(1, result.ExitCode);
        var lines = result.Stdout.Split('\n');
        var ours = Array.FindIndex(lines, l => l.StartsWith(test.Dataset.Name + " ", StringComparison.Ordinal));
        Assert.Contains("matches the catalog", string.Join('\n', lines.Skip(ours).Take(5)));
        Assert.Contains("DOES NOT MATCH: table bulkdurable_test.t_does_not_exist does not exist", result.Stdout);
    }

    [Fact]
    public async Task Check_without_postgres_settings_names_the_missing_variable()
    {
        var result = await CliRunner.RunAsync(CliRunner.CatalogOnly(), ["datasets", "--check"], Ct);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("BulkDurable__Postgres__ConnectionString", result.Stderr);
    }
}
