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
