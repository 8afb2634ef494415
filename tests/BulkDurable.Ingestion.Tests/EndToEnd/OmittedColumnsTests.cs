using BulkDurable.Ingestion.Jobs;
using BulkDurable.Ingestion.Payloads;
using BulkDurable.Testing;

namespace BulkDurable.Ingestion.Tests.EndToEnd;

/// <summary>
/// What a record that leaves a column out loads: NULL for a nullable column, in every format.
/// </summary>
public sealed class OmittedColumnsTests(ServersFixture servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_csv_that_omits_the_nullable_columns_stores_null_in_them_as_the_same_ndjson_record_does()
    {
        var dataset = await TestDataset.SensorReadingsAsync(servers.DataSource);
        await using var host = IngestionTestHost.Create(servers.Servers, null, dataset);

        var csv = (await host.RunAsync(await host.SubmitAsync(dataset.Name, PayloadFormat.Csv, "sensor_id,sampled_at\ns1,2024-01-01T00:00:00Z\n"), 1, Ct)).Result;
        var ndjson = (await host.RunAsync(await host.SubmitAsync(dataset.Name, PayloadFormat.Ndjson, "{\"sensor_id\":\"s2\",\"sampled_at\":\"2024-01-01T00:00:00Z\"}\n"), 1, Ct)).Result;

        Assert.Equal((JobState.Completed, 1L), (csv.State, csv.Inserted));
        Assert.Equal((JobState.Completed, 1L), (ndjson.State, ndjson.Inserted));
        Assert.Equal(
            "s1: value NULL, note NULL; s2: value NULL, note NULL",
            await servers.DataSource.QueryScalarAsync<string>(
                $"SELECT string_agg(sensor_id || ': value ' || coalesce(value::text, 'NULL') || ', note ' || coalesce(note, 'NULL'), '; ' ORDER BY sensor_id) FROM {dataset.Table}"));
    }
}
