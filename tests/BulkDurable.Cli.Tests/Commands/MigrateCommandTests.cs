using BulkDurable.Cli.Tests.Infrastructure;
using BulkDurable.Ingestion.Schema;
using BulkDurable.Testing;

namespace BulkDurable.Cli.Tests.Commands;

public sealed class MigrateCommandTests(ServersFixture servers)
{
    [Fact]
    public async Task Migrate_on_an_up_to_date_database_applies_nothing_and_says_so()
    {
        await using var test = await CliTestHost.CreateAsync(servers);

        var result = await test.RunAsync("migrate");

        Assert.Equal(0, result.ExitCode);
        Assert.DoesNotContain("Applied migration", result.Stdout);
        Assert.Contains($"Schema is up to date at version {Migration.Embedded.Count}.", result.Stdout);
    }

    [Fact]
    public async Task Grant_to_gives_the_role_select_insert_update_on_the_ledger_and_every_dataset_table_and_nothing_more()
    {
        await using var test = await CliTestHost.CreateAsync(servers);
        await using var role = await TestRole.CreateAsync(servers.Servers);

        var result = await test.RunAsync("migrate", "--grant-to", role.Name);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"Granted role '{role.Name}'", result.Stdout);
        foreach (var table in new[] { "bulkdurable.chunk_ledger", "public.sensor_readings", test.Dataset.Table })
        {
            Assert.True(await role.HasTablePrivilegeAsync(table, "SELECT, INSERT, UPDATE"), table);
            Assert.False(await role.HasTablePrivilegeAsync(table, "DELETE"), table);
            Assert.False(await role.HasTablePrivilegeAsync(table, "TRUNCATE"), table);
        }

        foreach (var schema in new[] { "bulkdurable", "public", ServersFixture.TestSchema })
        {
            Assert.True(await role.HasSchemaUsageAsync(schema), schema);
        }
    }

    [Fact]
    public async Task Grant_to_a_role_that_does_not_exist_is_a_usage_error()
    {
        await using var test = await CliTestHost.CreateAsync(servers);

        var result = await test.RunAsync("migrate", "--grant-to", "bd_nobody_" + Guid.NewGuid().ToString("N")[..8]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("does not exist", result.Stderr);
        Assert.DoesNotContain("(Parameter", result.Stderr);
    }
}
