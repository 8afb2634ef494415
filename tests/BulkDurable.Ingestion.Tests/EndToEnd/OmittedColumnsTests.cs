using BulkDurable.Ingestion.Jobs;
using BulkDurable.Ingestion.Payloads;
using BulkDurable.Ingestion.Staging;
using BulkDurable.Testing;

namespace BulkDurable.Ingestion.Tests.EndToEnd;

/// <summary>
/// What a record that leaves a column out loads: NULL for a nullable column, in every format; for a
/// NOT NULL column, a refusal naming it before anything is written (the whole job at a CSV header,
/// the record in JSON).
/// </summary>
public sealed class OmittedColumnsTests(ServersFixture servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<PayloadFormat, PayloadCompression> Formats => OmittedColumnsDifferentialTests.Formats;

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

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task A_payload_that_omits_a_not_null_column_is_refused_naming_it_before_anything_is_written(PayloadFormat format, PayloadCompression compression)
    {
        var dataset = await TestDataset.SensorReadingsAsync(servers.DataSource);
        await using var host = IngestionTestHost.Create(servers.Servers, null, dataset);
        string[] records =
        [
            "{\"sensor_id\":\"s1\",\"sampled_at\":\"2024-01-01T00:00:00Z\",\"value\":1.5}",
            "{\"sensor_id\":\"s2\",\"value\":2.5}",
            "{\"sensor_id\":\"s3\",\"sampled_at\":\"2024-01-01T00:00:00Z\",\"note\":\"n\"}",
        ];
        var payload = format switch
        {
            PayloadFormat.Csv => "sensor_id,value\ns1,1.5\ns2,2.5\n",
            PayloadFormat.JsonArray => "[\n" + string.Join(",\n", records) + "\n]\n",
            _ => string.Join("\n", records) + "\n",
        };

        var job = await host.SubmitAsync(dataset.Name, format, payload, compression);
        var run = await host.RunAsync(job, 1, Ct);

        await using var reference = await ReferenceTable.CreateAsync(host, dataset.Name);
        JobExpectation expected;
        if (format == PayloadFormat.Csv)
        {
            // The header decides for every record: the job fails as a whole, with no plan and no row.
            expected = new JobExpectation
            {
                Dataset = dataset.Name,
                Submitted = 0,
                State = JobState.Failed,
                ErrorContains = "Line 1: CSV header mismatch: required column missing: sampled_at (NOT NULL in the catalog",
                Reference = reference,
            };
        }
        else
        {
            await reference.ApplyJsonAsync([records[0], records[2]]);
            expected = new JobExpectation
            {
                Dataset = dataset.Name,
                Submitted = 3,
                State = JobState.CompletedWithErrors,
                Inserted = 2,
                Rejections = [new ExpectedRejection(2, Line: format == PayloadFormat.JsonArray ? 3 : 2, Field: "sampled_at", ErrorContains: "missing required field 'sampled_at': the column is NOT NULL")],
                Reference = reference,
            };
        }

        await InvariantChecker.AssertAsync(host, job.JobId, expected, Ct);
        Assert.Equal(format != PayloadFormat.Csv, await host.Store.ExistsAsync(BlobLayout.Manifest(job.JobId), Ct));
        Assert.Equal(run.Result.State, expected.State);
    }
}
