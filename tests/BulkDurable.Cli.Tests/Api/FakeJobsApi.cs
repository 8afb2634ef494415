using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure.Storage.Sas;
using BulkDurable.Ingestion.Api;
using BulkDurable.Ingestion.Jobs;
using BulkDurable.Ingestion.Payloads;
using BulkDurable.Ingestion.Results;
using BulkDurable.Ingestion.Staging;
using BulkDurable.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BulkDurable.Cli.Tests.Api;

/// <summary>
/// An in-process stand-in for the Functions app's HTTP API, following the contract in docs/cli.md,
/// with the real engine behind it: payloads are staged in Azurite, jobs run with the direct runner
/// into PostgreSQL, status comes from the engine's status reader. Listens on 127.0.0.1.
/// </summary>
internal sealed class FakeJobsApi : IAsyncDisposable
{
    public const string FunctionKey = "test-function-key-5f1e";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private readonly IngestionTestHost _host;
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, string> _jobsByIdempotencyKey = new();
    private readonly ConcurrentBag<Task> _runs = [];
    private int _throttledPolls;
    private int _uploads;

    private FakeJobsApi(IngestionTestHost host)
    {
        _host = host;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            kestrel.Limits.MaxRequestBodySize = null;
        });
        _app = builder.Build();
        _app.Use(async (context, next) =>
        {
            if (context.Request.Headers["x-functions-key"] != FunctionKey)
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }

            await next(context);
        });
        _app.MapPost("/api/datasets/{dataset}/jobs", SubmitAsync);
        _app.MapPost("/api/uploads", CreateUploadAsync);
        _app.MapGet("/api/jobs/{jobId}", StatusAsync);
    }

    public Uri Endpoint { get; private set; } = null!;

    /// <summary>Status polls answered with 503 and Retry-After: 3 before the real answer.</summary>
    public int ThrottledPolls { get; init; }

    /// <summary>Answer every submission with a 500 problem.</summary>
    public bool FailSubmissions { get; init; }

    /// <summary>SHA-256 of each payload the API received (body or upload), by job id.</summary>
    public ConcurrentDictionary<string, string> ReceivedPayloads { get; } = new();

    public int Uploads => _uploads;

    public static async Task<FakeJobsApi> StartAsync(IngestionTestHost host, int throttledPolls = 0, bool failSubmissions = false)
    {
        var api = new FakeJobsApi(host) { ThrottledPolls = throttledPolls, FailSubmissions = failSubmissions };
        await api._app.StartAsync();
        var address = api._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        api.Endpoint = new Uri(address);
        return api;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await Task.WhenAll(_runs);
        await _app.DisposeAsync();
    }

    private async Task<IResult> SubmitAsync(string dataset, HttpRequest request)
    {
        if (FailSubmissions)
        {
            return Problem(new ApiProblem("urn:bulkdurable:problem:internal", "The service failed.", 500, "Something broke on the server."));
        }

        if (!_host.Catalog.TryGet(dataset, out _))
        {
            return Problem(ApiProblem.UnknownDataset(dataset));
        }

        var key = request.Headers["Idempotency-Key"].ToString();
        if (key.Length > 0 && _jobsByIdempotencyKey.TryGetValue(key, out var existing))
        {
            request.HttpContext.Response.Headers["Idempotent-Replayed"] = "true";
            return Accepted(request, existing, dataset);
        }

        StagedPayload? staged;
        PayloadFormat format;
        PayloadCompression compression;
        request.EnableBuffering();
        var first = new byte[1];
        var isReference = request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) == true
            && await request.Body.ReadAsync(first) == 1 && first[0] == (byte)'{';
        request.Body.Position = 0;
        if (isReference)
        {
            var reference = await JsonSerializer.DeserializeAsync<UploadReferenceBody>(request.Body, Json);
            staged = await _host.Get<PayloadStager>().DescribeUploadAsync(reference!.UploadId, CancellationToken.None);
            if (staged is null)
            {
                return Problem(ApiProblem.UnknownUpload(reference.UploadId));
            }

            format = reference.Format switch { "json" => PayloadFormat.JsonArray, "csv" => PayloadFormat.Csv, _ => PayloadFormat.Ndjson };
            compression = reference.Compression == "gzip" ? PayloadCompression.Gzip : PayloadCompression.None;
        }
        else
        {
            if (!PayloadFormats.TryFromContentType(request.ContentType, out format)
                || !PayloadFormats.TryFromContentEncoding(request.Headers.ContentEncoding, out compression))
            {
                return Problem(ApiProblem.UnsupportedMediaType(request.ContentType, request.Headers.ContentEncoding));
            }

            staged = await _host.Get<PayloadStager>().StageAsync(request.Body, CancellationToken.None);
        }

        var job = new JobDescriptor(JobIds.New(), dataset, format, compression, staged.BlobName, staged.Sha256, staged.Length, DateTimeOffset.UtcNow, key.Length > 0 ? key : null);
        ReceivedPayloads[job.JobId] = staged.Sha256;
        if (key.Length > 0)
        {
            _jobsByIdempotencyKey[key] = job.JobId;
        }

        // Recorded before the 202, as the real starter does: a client may poll the status URL at once.
        // The run accepts the job again, which finds it recorded.
        await _host.Steps.AcceptAsync(job, CancellationToken.None);
        _runs.Add(Task.Run(() => _host.Runner.RunAsync(job, 2, null, CancellationToken.None)));
        return Accepted(request, job.JobId, dataset);
    }

    private async Task<IResult> CreateUploadAsync()
    {
        Interlocked.Increment(ref _uploads);
        await _host.Store.EnsureContainerAsync(CancellationToken.None);
        var uploadId = JobIds.New();
        var expiresAt = DateTimeOffset.UtcNow.AddMinutes(15);
        var url = _host.Store.Blob(BlobLayout.Upload(uploadId)).GenerateSasUri(BlobSasPermissions.Create | BlobSasPermissions.Write, expiresAt);
        return Results.Json(new { uploadId, uploadUrl = url, expiresAt, headers = new Dictionary<string, string> { ["x-ms-blob-type"] = "BlockBlob" } }, Json, statusCode: StatusCodes.Status201Created);
    }

    private async Task<IResult> StatusAsync(string jobId, HttpContext context)
    {
        if (Interlocked.Increment(ref _throttledPolls) <= ThrottledPolls)
        {
            context.Response.Headers.RetryAfter = "3";
            return Problem(new ApiProblem("urn:bulkdurable:problem:busy", "Busy.", 503, "Try again later."));
        }

        var status = await _host.Get<JobStatusReader>().ReadAsync(jobId, CancellationToken.None);
        if (status is null)
        {
            return Problem(ApiProblem.UnknownJob(jobId));
        }

        var document = JobStatusDocument.From(status);
        if (!status.State.IsTerminal())
        {
            context.Response.Headers.RetryAfter = "1";
        }

        return Results.Json(document, Json);
    }

    private static IResult Accepted(HttpRequest request, string jobId, string dataset)
    {
        var baseUrl = $"{request.Scheme}://{request.Host}";
        var response = request.HttpContext.Response;
        response.Headers.Location = $"{baseUrl}/api/jobs/{jobId}";
        response.Headers.RetryAfter = "1";
        return Results.Json(
            new
            {
                jobId,
                dataset,
                state = "Accepted",
                statusUrl = $"{baseUrl}/api/jobs/{jobId}",
                failedRecordsUrl = $"{baseUrl}/api/jobs/{jobId}/failed-records",
                management = new { id = jobId, statusQueryGetUri = $"{baseUrl}/runtime/webhooks/durabletask/instances/{jobId}?code=system-key-secret" },
            },
            Json,
            statusCode: StatusCodes.Status202Accepted);
    }

    private static IResult Problem(ApiProblem problem) => Results.Json(problem, Json, ApiProblem.MediaType, problem.Status);

    private sealed record UploadReferenceBody(string UploadId, string? Format, string? Compression);

    /// <summary>SHA-256 of a file, as the API computes it for the bytes it received.</summary>
    public static string Sha256Of(string path)
    {
        using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(file));
    }
}
