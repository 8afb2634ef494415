using System.Security.Cryptography;
using System.Text;
using Azure.Storage.Blobs.Specialized;
using BulkDurable.Functions.Entities;
using BulkDurable.Functions.Http;
using BulkDurable.Functions.Orchestration;
using BulkDurable.Functions.Tests.Fakes;
using BulkDurable.Ingestion.Jobs;
using BulkDurable.Ingestion.Payloads;
using BulkDurable.Ingestion.Uploads;
using BulkDurable.Testing;
using DurableTask.Core.Exceptions;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Client.Entities;
using Moq;

namespace BulkDurable.Functions.Tests.Http;

public sealed class SubmitJobFunctionTests(ServersFixture servers)
{
    private const string Dataset = "sensor_readings";
    private const string Payload = "{\"sensor_id\":\"s1\",\"sampled_at\":\"2026-01-01T00:00:00Z\",\"value\":1}\n";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_payload_becomes_a_job_answered_with_202_location_retry_after_and_links()
    {
        await using var host = FunctionsTestHost.Create(servers);
        var scheduled = Capture(host);
        var request = HttpExchange.Ndjson(Payload);

        var response = await (await Submit(host, request)).ExecuteAsync(request);

        Assert.Equal(202, response.Status);
        var jobId = response.Json.GetProperty("jobId").GetString()!;
        Assert.Equal($"http://localhost:7071/api/jobs/{jobId}", response.Header("Location"));
        Assert.Equal(response.Header("Location"), response.Json.GetProperty("statusUrl").GetString());
        Assert.Equal($"http://localhost:7071/api/jobs/{jobId}/failed-records", response.Json.GetProperty("failedRecordsUrl").GetString());
        Assert.Equal("5", response.Header("Retry-After"));
        Assert.Equal(Dataset, response.Json.GetProperty("dataset").GetString());
        Assert.Equal("Accepted", response.Json.GetProperty("state").GetString());
        Assert.StartsWith($"http://localhost:7071/runtime/webhooks/durabletask/instances/{jobId}", response.Json.GetProperty("management").GetProperty("statusQueryGetUri").GetString(), StringComparison.Ordinal);
        Assert.Empty(response.Header("Idempotent-Replayed"));

        var (name, input, options) = Assert.Single(scheduled);
        Assert.Equal(FunctionNames.IngestJob, name.Name);
        Assert.Equal(jobId, options?.InstanceId);
        Assert.Contains("Completed", options?.DedupeStatuses ?? []);
        Assert.Equal(jobId, input.Job.JobId);
        Assert.Equal(Encoding.UTF8.GetByteCount(Payload), input.Job.PayloadBytes);
        Assert.Equal(Sha(Payload), input.Job.PayloadSha256);
        Assert.False(input.Redrive);
        Assert.Equal(4, input.Settings.MaxChunksInFlight);
        Assert.Equal(input.Job, await host.Engine.Steps.ReadJobAsync(jobId, Ct));
    }

    [Theory]
    [InlineData("text/csv", null, PayloadFormat.Csv, PayloadCompression.None)]
    [InlineData("application/json", null, PayloadFormat.JsonArray, PayloadCompression.None)]
    [InlineData("application/x-ndjson", "gzip", PayloadFormat.Ndjson, PayloadCompression.Gzip)]
    [InlineData("application/json", "gzip", PayloadFormat.JsonArray, PayloadCompression.Gzip)]
    public async Task Format_and_compression_come_from_the_headers(string contentType, string? encoding, PayloadFormat format, PayloadCompression compression)
    {
        await using var host = FunctionsTestHost.Create(servers);
        var scheduled = Capture(host);
        var body = Encoding.UTF8.GetBytes(format == PayloadFormat.JsonArray ? "[{\"a\":1}]" : "a\n1\n");
        var headers = encoding is null ? null : new Dictionary<string, string> { ["Content-Encoding"] = encoding };
        var request = HttpExchange.Request("POST", contentType, compression == PayloadCompression.Gzip ? IngestionTestHost.Gzip(body) : body, headers);

        var response = await (await Submit(host, request)).ExecuteAsync(request);

        Assert.Equal(202, response.Status);
        var job = Assert.Single(scheduled).Input.Job;
        Assert.Equal((format, compression), (job.Format, job.Compression));
    }

    [Fact]
    public async Task An_unknown_dataset_is_404_problem_json()
    {
        await using var host = FunctionsTestHost.Create(servers);
        var request = HttpExchange.Ndjson(Payload);

        var response = await (await host.Function<SubmitJobFunction>().RunAsync(request, host.Client.Object, "no_such_dataset", Ct)).ExecuteAsync(request);

        AssertProblem(response, 404, "unknown-dataset");
    }

    [Theory]
    [InlineData("text/plain", null)]
    [InlineData("application/x-ndjson", "br")]
    public async Task An_unsupported_media_type_is_415(string contentType, string? encoding)
    {
        await using var host = FunctionsTestHost.Create(servers);
        var headers = encoding is null ? null : new Dictionary<string, string> { ["Content-Encoding"] = encoding };
        var request = HttpExchange.Request("POST", contentType, Encoding.UTF8.GetBytes(Payload), headers);

        AssertProblem(await (await Submit(host, request)).ExecuteAsync(request), 415, "unsupported-media-type");
    }

    [Fact]
    public async Task A_malformed_idempotency_key_is_400()
    {
        await using var host = FunctionsTestHost.Create(servers);
        var request = HttpExchange.Ndjson(Payload, Key(new string('k', 300)));

        AssertProblem(await (await Submit(host, request)).ExecuteAsync(request), 400, "malformed-request");
    }

    [Fact]
    public async Task An_empty_body_is_400_and_leaves_no_blob()
    {
        await using var host = FunctionsTestHost.Create(servers);
        var request = HttpExchange.Ndjson("");

        AssertProblem(await (await Submit(host, request)).ExecuteAsync(request), 400, "malformed-request");
        Assert.Empty(await Uploads(host));
    }

    [Fact]
    public async Task A_declared_body_over_the_limit_is_413_before_anything_is_stored()
    {
        await using var host = FunctionsTestHost.Create(servers, new Dictionary<string, string?> { ["BulkDurable:Api:MaxRequestBodyBytes"] = "100" });
        var request = HttpExchange.Ndjson(Payload + Payload);

        AssertProblem(await (await Submit(host, request)).ExecuteAsync(request), 413, "payload-too-large");
        Assert.Empty(await Uploads(host));
    }

    [Fact]
    public async Task A_streamed_body_over_the_limit_is_413_and_its_blob_is_removed()
    {
        await using var host = FunctionsTestHost.Create(servers, new Dictionary<string, string?> { ["BulkDurable:Api:MaxRequestBodyBytes"] = "100" });
        var request = HttpExchange.Request("POST", "application/x-ndjson", Encoding.UTF8.GetBytes(Payload + Payload), chunked: true);

        AssertProblem(await (await Submit(host, request)).ExecuteAsync(request), 413, "payload-too-large");
        Assert.Empty(await Uploads(host));
        host.Client.Verify(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task An_upload_reference_starts_a_job_from_the_uploaded_payload()
    {
        await using var host = FunctionsTestHost.Create(servers);
        var scheduled = Capture(host);
        var grant = await host.Get<UploadUrlIssuer>().IssueAsync(null, Ct);
        await new BlockBlobClient(grant.UploadUrl).UploadAsync(new MemoryStream(IngestionTestHost.Gzip(Encoding.UTF8.GetBytes("a,b\n1,2\n"))), cancellationToken: Ct);
        var request = HttpExchange.Json($$"""  {"uploadId":"{{grant.UploadId}}","format":"csv","compression":"gzip"}""");

        var response = await (await Submit(host, request)).ExecuteAsync(request);

        Assert.Equal(202, response.Status);
        var job = Assert.Single(scheduled).Input.Job;
        Assert.Equal($"uploads/{grant.UploadId}", job.PayloadBlob);
        Assert.Equal((PayloadFormat.Csv, PayloadCompression.Gzip), (job.Format, job.Compression));
    }

    [Fact]
    public async Task An_unknown_upload_is_404_and_a_malformed_reference_400()
    {
        await using var host = FunctionsTestHost.Create(servers);
        var unknown = HttpExchange.Json("{\"uploadId\":\"never-uploaded\"}");
        var malformed = HttpExchange.Json("{\"uploadId\":\"../x\"}");

        AssertProblem(await (await Submit(host, unknown)).ExecuteAsync(unknown), 404, "unknown-upload");
        AssertProblem(await (await Submit(host, malformed)).ExecuteAsync(malformed), 400, "malformed-request");
    }

    [Fact]
    public async Task A_new_idempotency_key_gets_its_deterministic_job_id()
    {
        await using var host = FunctionsTestHost.Create(servers);
        var scheduled = Capture(host);
        var request = HttpExchange.Ndjson(Payload, Key("order-42"));

        var response = await (await Submit(host, request)).ExecuteAsync(request);

        Assert.Equal(202, response.Status);
        var expected = JobIds.ForIdempotencyKey(Dataset, "order-42", 0);
        Assert.Equal(expected, response.Json.GetProperty("jobId").GetString());
        var input = Assert.Single(scheduled).Input;
        Assert.Equal("order-42", input.Job.IdempotencyKey);
        host.Entities.Verify(e => e.GetEntityAsync<IdempotencyKeyState>(EntityIds.IdempotencyKey(Dataset, null, "order-42"), true, It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task The_same_key_and_payload_replays_the_original_job()
    {
        await using var host = FunctionsTestHost.Create(servers);
        KeyHeldBy(host, "order-42", "original-job", Sha(Payload));
        var request = HttpExchange.Ndjson(Payload, Key("order-42"));

        var response = await (await Submit(host, request)).ExecuteAsync(request);

        Assert.Equal(202, response.Status);
        Assert.Equal("true", response.Header("Idempotent-Replayed"));
        Assert.Equal("original-job", response.Json.GetProperty("jobId").GetString());
        Assert.Equal("http://localhost:7071/api/jobs/original-job", response.Header("Location"));
        Assert.Empty(await Uploads(host));
        NothingScheduled(host);
    }

    [Fact]
    public async Task The_same_key_with_another_payload_is_422()
    {
        await using var host = FunctionsTestHost.Create(servers);
        KeyHeldBy(host, "order-42", "original-job", Sha("something else"));
        var request = HttpExchange.Ndjson(Payload, Key("order-42"));

        AssertProblem(await (await Submit(host, request)).ExecuteAsync(request), 422, "idempotency-key-reused");
        Assert.Empty(await Uploads(host));
        NothingScheduled(host);
    }

    [Fact]
    public async Task A_key_past_its_window_maps_to_a_new_job()
    {
        await using var host = FunctionsTestHost.Create(servers);
        KeyHeldBy(host, "order-42", "old-job", Sha(Payload), DateTimeOffset.UtcNow.AddDays(-2));
        var scheduled = Capture(host);
        var request = HttpExchange.Ndjson(Payload, Key("order-42"));

        var response = await (await Submit(host, request)).ExecuteAsync(request);

        Assert.Equal(202, response.Status);
        Assert.Equal(JobIds.ForIdempotencyKey(Dataset, "order-42", 1), Assert.Single(scheduled).Input.Job.JobId);
    }

    [Fact]
    public async Task A_concurrent_submission_with_the_same_key_and_payload_returns_the_same_job()
    {
        await using var host = FunctionsTestHost.Create(servers);
        var jobId = JobIds.ForIdempotencyKey(Dataset, "order-42", 0);
        var first = await host.Engine.SubmitAsync(Dataset, PayloadFormat.Ndjson, Payload, jobId: jobId);
        await host.Engine.Steps.AcceptAsync(first with { IdempotencyKey = "order-42" }, Ct);
        host.Client.Setup(c => c.GetInstanceAsync(jobId, It.IsAny<bool>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(FunctionsTestHost.Instance(jobId, OrchestrationRuntimeStatus.Running, new IngestJobInput(first, OrchestrationHarness.Settings())));
        var request = HttpExchange.Ndjson(Payload, Key("order-42"));

        var response = await (await Submit(host, request)).ExecuteAsync(request);

        Assert.Equal(202, response.Status);
        Assert.Equal("true", response.Header("Idempotent-Replayed"));
        Assert.Equal(jobId, response.Json.GetProperty("jobId").GetString());
        Assert.Equal([first.PayloadBlob], await Uploads(host));
        NothingScheduled(host);
    }

    [Fact]
    public async Task A_concurrent_submission_with_the_same_key_and_another_payload_is_422()
    {
        await using var host = FunctionsTestHost.Create(servers);
        var jobId = JobIds.ForIdempotencyKey(Dataset, "order-42", 0);
        var first = await host.Engine.SubmitAsync(Dataset, PayloadFormat.Ndjson, "{\"other\":1}\n", jobId: jobId);
        await host.Engine.Steps.AcceptAsync(first, Ct);
        var request = HttpExchange.Ndjson(Payload, Key("order-42"));

        AssertProblem(await (await Submit(host, request)).ExecuteAsync(request), 422, "idempotency-key-reused");
        Assert.Equal([first.PayloadBlob], await Uploads(host));
    }

    [Fact]
    public async Task A_key_whose_instance_is_not_visible_yet_is_409_with_retry_after()
    {
        await using var host = FunctionsTestHost.Create(servers);
        host.Client.Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new OrchestrationAlreadyExistsException("exists"));
        var request = HttpExchange.Ndjson(Payload, Key("order-42"));

        var response = await (await Submit(host, request)).ExecuteAsync(request);

        AssertProblem(response, 409, "idempotency-key-in-flight");
        Assert.Equal("5", response.Header("Retry-After"));
    }

    [Fact]
    public async Task A_finished_instance_is_never_replaced()
    {
        await using var host = FunctionsTestHost.Create(servers);
        var jobId = JobIds.ForIdempotencyKey(Dataset, "order-42", 0);
        var existing = await host.Engine.SubmitAsync(Dataset, PayloadFormat.Ndjson, Payload, jobId: jobId);
        host.Client.Setup(c => c.GetInstanceAsync(jobId, It.IsAny<bool>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(FunctionsTestHost.Instance(jobId, OrchestrationRuntimeStatus.Completed, new IngestJobInput(existing, OrchestrationHarness.Settings())));
        var request = HttpExchange.Ndjson(Payload, Key("order-42"));

        var response = await (await Submit(host, request)).ExecuteAsync(request);

        Assert.Equal(202, response.Status);
        Assert.Equal("true", response.Header("Idempotent-Replayed"));
        NothingScheduled(host);
    }

    private static Task<Microsoft.AspNetCore.Mvc.IActionResult> Submit(FunctionsTestHost host, Microsoft.AspNetCore.Http.HttpRequest request) =>
        host.Function<SubmitJobFunction>().RunAsync(request, host.Client.Object, Dataset, Ct);

    private static List<(TaskName Name, IngestJobInput Input, StartOrchestrationOptions? Options)> Capture(FunctionsTestHost host)
    {
        var scheduled = new List<(TaskName, IngestJobInput, StartOrchestrationOptions?)>();
        host.Client.Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .Callback<TaskName, object?, StartOrchestrationOptions?, CancellationToken>((name, input, options, _) => scheduled.Add((name, (IngestJobInput)input!, options)))
            .Returns<TaskName, object?, StartOrchestrationOptions?, CancellationToken>((_, _, options, _) => Task.FromResult(options!.InstanceId!));
        return scheduled;
    }

    private static void KeyHeldBy(FunctionsTestHost host, string key, string jobId, string sha, DateTimeOffset? acceptedAt = null)
    {
        var id = EntityIds.IdempotencyKey(Dataset, null, key);
        var state = new IdempotencyKeyState { JobId = jobId, PayloadSha256 = sha, AcceptedAt = acceptedAt ?? DateTimeOffset.UtcNow.AddMinutes(-5) };
        host.Entities.Setup(e => e.GetEntityAsync<IdempotencyKeyState>(id, It.IsAny<bool>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new EntityMetadata<IdempotencyKeyState>(id, state));
    }

    private static void NothingScheduled(FunctionsTestHost host) =>
        host.Client.Verify(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()), Times.Never);

    private static async Task<List<string>> Uploads(FunctionsTestHost host)
    {
        var names = new List<string>();
        await host.Engine.Store.EnsureContainerAsync(Ct);
        await foreach (var blob in host.Engine.Store.Container.GetBlobsAsync(new Azure.Storage.Blobs.Models.GetBlobsOptions { Prefix = "uploads/" }, Ct))
        {
            names.Add(blob.Name);
        }

        return names;
    }

    private static Dictionary<string, string> Key(string key) => new() { ["Idempotency-Key"] = key };

    private static string Sha(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    internal static void AssertProblem(Response response, int status, string type)
    {
        Assert.Equal(status, response.Status);
        Assert.Equal("application/problem+json", response.ContentType);
        Assert.Equal($"urn:bulkdurable:problem:{type}", response.Json.GetProperty("type").GetString());
        Assert.Equal(status, response.Json.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(response.Json.GetProperty("detail").GetString()));
    }
}
