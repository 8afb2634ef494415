using System.Text;
using System.Text.Json;
using BulkDurable.Ingestion.Catalog;
using BulkDurable.Ingestion.Jobs;
using BulkDurable.Ingestion.Payloads;
using BulkDurable.Testing;

namespace BulkDurable.Ingestion.Tests.EndToEnd;

/// <summary>Bad records are rejected one by one, precisely; the good ones around them load.</summary>
public sealed class RejectedRecordsTests(ServersFixture servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Kinds of invalid NDJSON records, with a word their rejection reason must contain.</summary>
    private static readonly (string Line, string Field, string Reason)[] InvalidKinds =
    [
        ("{\"sensor_id\":\"s\",\"sampled_at\":\"2024-01-01T00:00:00Z\",\"value\":1.0", "", "invalid JSON"),
        ("{\"sensor_id\":42,\"sampled_at\":\"2024-01-01T00:00:00Z\"}", "sensor_id", "expected a string"),
        ("{\"sampled_at\":\"2024-01-01T00:00:00Z\",\"value\":1}", "sensor_id", "missing required field"),
        ("{\"sensor_id\":\"s\",\"sampled_at\":\"2024-01-01T00:00:00Z\",\"colour\":\"red\"}", "colour", "unknown field"),
        ("{\"sensor_id\":null,\"sampled_at\":\"2024-01-01T00:00:00Z\"}", "sensor_id", "null is not allowed"),
        ("{\"sensor_id\":\"s\",\"sampled_at\":\"yesterday\"}", "sampled_at", "not a valid timestamp"),
        ("{\"sensor_id\":\"s\",\"sampled_at\":\"2024-02-30T00:00:00Z\"}", "sampled_at", "not a valid timestamp"),
        ("{\"sensor_id\":\"s\",\"sampled_at\":\"2024-01-01T00:00:00Z\",\"value\":\"high\"}", "value", "expected a number"),
        ("{\"sensor_id\":\"s\",\"sampled_at\":\"2024-01-01T00:00:00Z\",\"value\":1e999}", "value", "out of range"),
        ("[1,2,3]", "", "expected a JSON object"),
        ("{\"sensor_id\":\"a\\u0000b\",\"sampled_at\":\"2024-01-01T00:00:00Z\"}", "sensor_id", "NUL"),
        ("{\"sensor_id\":\"s\",\"sensor_id\":\"t\",\"sampled_at\":\"2024-01-01T00:00:00Z\"}", "sensor_id", "appears twice"),
    ];

    [Fact]
    public async Task One_percent_invalid_records_are_each_reported_and_the_rest_load()
    {
        var dataset = await TestDataset.SensorReadingsAsync(servers.DataSource);
        await using var host = IngestionTestHost.Create(servers.Servers, new Dictionary<string, string?> { ["BulkDurable:Ingestion:ChunkRecords"] = "2000" }, dataset);
        const int Total = 30_000;
        var payload = new StringBuilder();
        var expectedRejections = new Dictionary<long, (string Field, string Reason)>();
        for (var record = 1; record <= Total; record++)
        {
            if (record % 100 == 37)
            {
                var kind = InvalidKinds[(record / 100) % InvalidKinds.Length];
                payload.Append(kind.Line).Append('\n');
                expectedRejections[record] = (kind.Field, kind.Reason);
            }
            else
            {
                payload.Append($"{{\"sensor_id\":\"sensor-{record % 97}\",\"sampled_at\":\"2024-01-01T00:00:00Z\",\"value\":{record}.5,\"note\":\"n{record}\"}}".Replace("2024-01-01T00:00:00Z", DateTime.UnixEpoch.AddSeconds(record).ToString("O"), StringComparison.Ordinal)).Append('\n');
            }
        }

        var job = await host.SubmitAsync(dataset.Name, PayloadFormat.Ndjson, payload.ToString());
        var result = (await host.RunAsync(job, 2, Ct)).Result;

        Assert.Equal(JobState.CompletedWithErrors, result.State);
        Assert.Equal(Total, result.Submitted);
        Assert.Equal(expectedRejections.Count, result.Rejected);
        Assert.Equal(Total - expectedRejections.Count, result.Inserted);
        Assert.Equal(result.Submitted, result.Inserted + result.Updated + result.Unchanged + result.Rejected);
        Assert.Equal(Total - expectedRejections.Count, await dataset.CountAsync(servers.DataSource));

        var failed = (await host.FailedRecordsAsync(job.JobId)).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(expectedRejections.Keys.Order(), failed.Select(f => f.GetProperty("recordNumber").GetInt64()));
        foreach (var entry in failed)
        {
            var number = entry.GetProperty("recordNumber").GetInt64();
            var (field, reason) = expectedRejections[number];
            Assert.Equal(number, entry.GetProperty("line").GetInt64());
            Assert.Contains(reason, entry.GetProperty("error").GetString(), StringComparison.Ordinal);
            if (field.Length > 0)
            {
                Assert.Equal(field, entry.GetProperty("field").GetString());
            }

            Assert.False(string.IsNullOrEmpty(entry.GetProperty("record").GetString()));
        }
    }

    [Fact]
    public async Task A_row_violating_a_check_constraint_is_reported_and_the_rest_of_its_chunk_loads()
    {
        var dataset = await TestDataset.SensorReadingsAsync(servers.DataSource, ConflictAction.Ignore, "CHECK (value < 1000)");
        await using var host = IngestionTestHost.Create(servers.Servers, null, dataset);
        var lines = Enumerable.Range(1, 500).Select(i =>
            $"{{\"sensor_id\":\"s-{i}\",\"sampled_at\":\"2024-01-01T00:00:00Z\",\"value\":{(i == 321 ? 5000 : i)}}}");

        var job = await host.SubmitAsync(dataset.Name, PayloadFormat.Ndjson, string.Join("\n", lines));
        var result = (await host.RunAsync(job, 1, Ct)).Result;

        Assert.Equal(1, result.ChunkCount);
        Assert.Equal(499, result.Inserted);
        Assert.Equal(1, result.Rejected);
        Assert.Equal(499, await dataset.CountAsync(servers.DataSource));
        var failed = JsonDocument.Parse(Assert.Single(await host.FailedRecordsAsync(job.JobId))).RootElement;
        Assert.Equal(321, failed.GetProperty("recordNumber").GetInt64());
        Assert.Contains("check constraint", failed.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("5000", failed.GetProperty("record").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rows_refused_by_the_database_are_isolated_among_conflicts_with_the_update_action()
    {
        var dataset = await TestDataset.SensorReadingsAsync(servers.DataSource, ConflictAction.Update, "CHECK (value < 1000)");
        await using var host = IngestionTestHost.Create(servers.Servers, null, dataset);
        string Line(int i, int value) => $"{{\"sensor_id\":\"s-{i}\",\"sampled_at\":\"2024-01-01T00:00:00Z\",\"value\":{value}}}";
        await host.RunAsync(await host.SubmitAsync(dataset.Name, PayloadFormat.Ndjson, string.Join("\n", Enumerable.Range(1, 100).Select(i => Line(i, i)))), 1, Ct);

        // Records 1-100 exist; 101-200 are new; three rows break the CHECK, among both kinds.
        var second = Enumerable.Range(1, 200).Select(i => Line(i, i is 7 or 150 or 199 ? 4000 : i + 1));
        var result = (await host.RunAsync(await host.SubmitAsync(dataset.Name, PayloadFormat.Ndjson, string.Join("\n", second)), 1, Ct)).Result;

        Assert.Equal(3, result.Rejected);
        Assert.Equal(99, result.Updated);
        Assert.Equal(98, result.Inserted);
        Assert.Equal(198, await dataset.CountAsync(servers.DataSource));
        await using var command = servers.DataSource.CreateCommand($"SELECT value FROM {dataset.Table} WHERE sensor_id = 's-7'");
        Assert.Equal(7.0, (double)(await command.ExecuteScalarAsync(Ct))!);
    }

    [Fact]
    public async Task Duplicate_keys_are_rejected_with_the_reject_action()
    {
        var dataset = await TestDataset.SensorReadingsAsync(servers.DataSource, ConflictAction.Reject);
        await using var host = IngestionTestHost.Create(servers.Servers, null, dataset);
        string Line(string id) => $"{{\"sensor_id\":\"{id}\",\"sampled_at\":\"2024-01-01T00:00:00Z\",\"value\":1}}";
        await host.RunAsync(await host.SubmitAsync(dataset.Name, PayloadFormat.Ndjson, Line("a")), 1, Ct);

        var job = await host.SubmitAsync(dataset.Name, PayloadFormat.Ndjson, string.Join("\n", Line("a"), Line("b"), Line("b"), Line("c")));
        var result = (await host.RunAsync(job, 1, Ct)).Result;

        Assert.Equal(2, result.Inserted);
        Assert.Equal(2, result.Rejected);
        var failed = (await host.FailedRecordsAsync(job.JobId)).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal([1L, 3L], failed.Select(f => f.GetProperty("recordNumber").GetInt64()));
        Assert.Contains("already exists", failed[0].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("record 2 of this payload", failed[1].GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ConflictAction.Ignore)]
    [InlineData(ConflictAction.Update)]
    public async Task A_value_refused_by_the_database_while_staging_is_isolated_and_the_rest_of_its_chunk_loads(ConflictAction onConflict)
    {
        // PostgreSQL's jsonb input refuses numbers beyond numeric's range; no client-side check knows every such rule.
        var dataset = await TestDataset.CreateAsync(
            servers.DataSource,
            "id integer PRIMARY KEY, doc jsonb",
            new DatasetOptions
            {
                Columns = [new ColumnOptions { Name = "id", Type = ColumnType.Int, Nullable = false }, new ColumnOptions { Name = "doc", Type = ColumnType.Jsonb }],
                ConflictKey = ["id"],
                OnConflict = onConflict,
            });
        await using var host = IngestionTestHost.Create(servers.Servers, null, dataset);
        var lines = Enumerable.Range(1, 300).Select(i => i is 7 or 250 ? $"{{\"id\":{i},\"doc\":{{\"n\":1e400000}}}}" : $"{{\"id\":{i},\"doc\":{{\"n\":{i}}}}}");

        var job = await host.SubmitAsync(dataset.Name, PayloadFormat.Ndjson, string.Join("\n", lines));
        var result = (await host.RunAsync(job, 1, Ct)).Result;

        Assert.Equal(JobState.CompletedWithErrors, result.State);
        Assert.Equal((298L, 2L), (result.Inserted, result.Rejected));
        Assert.Equal(298, await dataset.CountAsync(servers.DataSource));
        var failed = (await host.FailedRecordsAsync(job.JobId)).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal([7L, 250L], failed.Select(f => f.GetProperty("recordNumber").GetInt64()));
        Assert.All(failed, f => Assert.Contains("refused by the database", f.GetProperty("error").GetString(), StringComparison.Ordinal));
    }
}
