using BulkDurable.Ingestion.Catalog;
using BulkDurable.Ingestion.Jobs;
using BulkDurable.Ingestion.Payloads;
using BulkDurable.Testing;

namespace BulkDurable.Ingestion.Tests.Catalog;

public sealed class DatasetSchemaVerifierTests(ServersFixture servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static DatasetOptions Readings() => new()
    {
        Columns =
        [
            new ColumnOptions { Name = "id", Type = ColumnType.Bigint, Nullable = false },
            new ColumnOptions { Name = "v", Type = ColumnType.Double },
        ],
        ConflictKey = ["id"],
        OnConflict = ConflictAction.Update,
    };

    [Fact]
    public async Task A_matching_table_passes()
    {
        var dataset = await TestDataset.CreateAsync(servers.DataSource, "id bigint PRIMARY KEY, v double precision", Readings());
        await using var host = IngestionTestHost.Create(servers.Servers, null, dataset);

        Assert.Empty(await host.Get<DatasetSchemaVerifier>().FindProblemsAsync(host.Catalog.Get(dataset.Name), Ct));
    }

    [Fact]
    public async Task Type_mismatches_and_a_missing_unique_index_are_reported_and_fail_the_job()
    {
        var dataset = await TestDataset.CreateAsync(servers.DataSource, "id integer NOT NULL, v text", Readings());
        await using var host = IngestionTestHost.Create(servers.Servers, null, dataset);

        var problems = await host.Get<DatasetSchemaVerifier>().FindProblemsAsync(host.Catalog.Get(dataset.Name), Ct);
        var result = (await host.RunAsync(await host.SubmitAsync(dataset.Name, PayloadFormat.Ndjson, "{\"id\":1}"), 1, Ct)).Result;

        Assert.Contains(problems, p => p.Contains("'id' is integer in the database but Bigint", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("'v' is text", StringComparison.Ordinal));
        Assert.Equal(JobState.Failed, result.State);
        Assert.Contains("does not match its table", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_not_null_column_the_catalog_declares_nullable_is_reported_and_fails_the_job_before_anything_is_written()
    {
        var dataset = await TestDataset.CreateAsync(servers.DataSource, "id bigint PRIMARY KEY, v double precision NOT NULL DEFAULT 0", Readings());
        await using var host = IngestionTestHost.Create(servers.Servers, null, dataset);

        var problems = await host.Get<DatasetSchemaVerifier>().FindProblemsAsync(host.Catalog.Get(dataset.Name), Ct);
        var result = (await host.RunAsync(await host.SubmitAsync(dataset.Name, PayloadFormat.Ndjson, "{\"id\":1,\"v\":2}"), 1, Ct)).Result;

        Assert.Equal(
            "column 'v' is NOT NULL in the database but Nullable in the catalog (a record that omits it or sends null would be refused by the database): declare it Nullable: false",
            Assert.Single(problems));
        Assert.Equal(JobState.Failed, result.State);
        Assert.Contains("column 'v' is NOT NULL in the database", result.Error, StringComparison.Ordinal);
        Assert.Equal(0, await dataset.CountAsync(servers.DataSource));
    }

    [Fact]
    public async Task A_not_null_column_without_a_default_that_the_catalog_leaves_out_is_reported()
    {
        var dataset = await TestDataset.CreateAsync(servers.DataSource, "id bigint PRIMARY KEY, v double precision, source text NOT NULL", Readings());
        await using var host = IngestionTestHost.Create(servers.Servers, null, dataset);

        var problems = await host.Get<DatasetSchemaVerifier>().FindProblemsAsync(host.Catalog.Get(dataset.Name), Ct);

        Assert.Equal(
            "column 'source' is NOT NULL without a default in the database but not declared in the catalog (every row would be refused): declare it with Nullable: false, or give it a default",
            Assert.Single(problems));
    }

    [Fact]
    public async Task Columns_the_catalog_leaves_out_keep_their_defaults_when_they_have_one()
    {
        var dataset = await TestDataset.CreateAsync(
            servers.DataSource,
            "serial bigint GENERATED ALWAYS AS IDENTITY, id bigint PRIMARY KEY, v double precision, source text NOT NULL DEFAULT 'import', loaded_at timestamptz NOT NULL DEFAULT now()",
            Readings());
        await using var host = IngestionTestHost.Create(servers.Servers, null, dataset);

        var problems = await host.Get<DatasetSchemaVerifier>().FindProblemsAsync(host.Catalog.Get(dataset.Name), Ct);
        var result = (await host.RunAsync(await host.SubmitAsync(dataset.Name, PayloadFormat.Csv, "id\n1\n"), 1, Ct)).Result;

        Assert.Empty(problems);
        Assert.Equal((JobState.Completed, 1L), (result.State, result.Inserted));
        Assert.Equal("import", await servers.DataSource.QueryScalarAsync<string>($"SELECT source FROM {dataset.Table} WHERE id = 1 AND v IS NULL AND serial = 1"));
    }

    [Fact]
    public async Task A_missing_table_is_reported()
    {
        var dataset = await TestDataset.CreateAsync(servers.DataSource, "id bigint PRIMARY KEY, v double precision", Readings());
        await using (var drop = servers.DataSource.CreateCommand($"DROP TABLE {dataset.Table}"))
        {
            await drop.ExecuteNonQueryAsync(Ct);
        }

        await using var host = IngestionTestHost.Create(servers.Servers, null, dataset);

        Assert.Contains("does not exist", Assert.Single(await host.Get<DatasetSchemaVerifier>().FindProblemsAsync(host.Catalog.Get(dataset.Name), Ct)), StringComparison.Ordinal);
    }
}
