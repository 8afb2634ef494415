using BulkDurable.Functions.Http;
using BulkDurable.Functions.Tests.Fakes;
using BulkDurable.Ingestion.Catalog;
using BulkDurable.Ingestion.Payloads;
using BulkDurable.Testing;
using Microsoft.DurableTask.Client;
using Moq;

namespace BulkDurable.Functions.Tests.Http;

public sealed class JobStatusFunctionsTests(ServersFixture servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_status_of_a_finished_job_is_exact_and_links_to_its_failed_records_without_a_key()
    {
        var dataset = await TestDataset.SensorReadingsAsync(servers.DataSource, ConflictAction.Ignore);
        await using var host = FunctionsTestHost.Create(servers, null, dataset);
        var job = await host.Engine.SubmitAsync(dataset.Name, PayloadFormat.Ndjson, "{\"sensor_id\":\"s1\",\"sampled_at\":\"2026-01-01T00:00:00Z\",\"value\":1}\n{\"sensor_id\":\"s2\"}\n");
        await host.Engine.RunAsync(job, 1, Ct);
        host.Client.Setup(c => c.GetInstanceAsync(job.JobId, It.IsAny<bool>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(FunctionsTestHost.Instance(job.JobId, OrchestrationRuntimeStatus.Completed));
        var functions = host.Function<JobStatusFunctions>();
        var request = HttpExchange.Request("GET");

        var response = await (await functions.GetStatusAsync(request, host.Client.Object, job.JobId, Ct)).ExecuteAsync(request);

        Assert.Equal(200, response.Status);
        var json = response.Json;
        Assert.Equal("CompletedWithErrors", json.GetProperty("state").GetString());
        Assert.Equal(2, json.GetProperty("progress").GetProperty("records").GetProperty("submitted").GetInt64());
        Assert.Equal(1, json.GetProperty("progress").GetProperty("records").GetProperty("inserted").GetInt64());
        Assert.Equal(1, json.GetProperty("progress").GetProperty("records").GetProperty("rejected").GetInt64());
        Assert.Equal($"http://localhost:7071/api/jobs/{job.JobId}/failed-records", json.GetProperty("links").GetProperty("failedRecords").GetString());
        Assert.DoesNotContain("code=", response.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("runtime/webhooks", response.Text, StringComparison.Ordinal);

        var records = HttpExchange.Request("GET");
        var ndjson = await (await functions.GetFailedRecordsAsync(records, job.JobId, Ct)).ExecuteAsync(records);
        Assert.Equal(200, ndjson.Status);
        Assert.Equal("application/x-ndjson", ndjson.ContentType);
        Assert.Single(ndjson.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task A_suspended_job_shows_as_suspended()
    {
        await using var host = FunctionsTestHost.Create(servers);
        var job = await host.Engine.SubmitAsync("sensor_readings", PayloadFormat.Ndjson, "{}\n");
        await host.Engine.Steps.AcceptAsync(job, Ct);
        host.Client.Setup(c => c.GetInstanceAsync(job.JobId, It.IsAny<bool>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(FunctionsTestHost.Instance(job.JobId, OrchestrationRuntimeStatus.Suspended));
        var request = HttpExchange.Request("GET");

        var response = await (await host.Function<JobStatusFunctions>().GetStatusAsync(request, host.Client.Object, job.JobId, Ct)).ExecuteAsync(request);

        Assert.Equal("Suspended", response.Json.GetProperty("state").GetString());
    }

    [Fact]
    public async Task An_unknown_job_is_404_for_status_and_failed_records()
    {
        await using var host = FunctionsTestHost.Create(servers);
        var functions = host.Function<JobStatusFunctions>();
        var status = HttpExchange.Request("GET");
        var records = HttpExchange.Request("GET");

        SubmitJobFunctionTests.AssertProblem(await (await functions.GetStatusAsync(status, host.Client.Object, "nope", Ct)).ExecuteAsync(status), 404, "unknown-job");
        SubmitJobFunctionTests.AssertProblem(await (await functions.GetFailedRecordsAsync(records, "../nope", Ct)).ExecuteAsync(records), 404, "unknown-job");
    }

    [Fact]
    public async Task A_job_without_failed_records_streams_an_empty_body()
    {
        await using var host = FunctionsTestHost.Create(servers);
        var job = await host.Engine.SubmitAsync("sensor_readings", PayloadFormat.Ndjson, "{}\n");
        await host.Engine.Steps.AcceptAsync(job, Ct);
        var request = HttpExchange.Request("GET");

        var response = await (await host.Function<JobStatusFunctions>().GetFailedRecordsAsync(request, job.JobId, Ct)).ExecuteAsync(request);

        Assert.Equal(200, response.Status);
        Assert.Empty(response.Body);
    }
}
