using BulkDurable.Ingestion.Catalog;
using BulkDurable.Ingestion.Diagnostics;
using BulkDurable.Ingestion.Payloads;
using BulkDurable.Ingestion.Running;
using BulkDurable.Ingestion.Staging;

namespace BulkDurable.Ingestion.Api;

/// <summary>
/// An error response (RFC 9457 <c>application/problem+json</c>). Every error the HTTP API returns
/// is one of the factories below, so status codes and types are decided in one tested place.
/// </summary>
/// <param name="Type">A URI naming the problem type (documented in docs/openapi.yaml).</param>
/// <param name="Title">A short, fixed summary of the type.</param>
/// <param name="Status">The HTTP status code.</param>
/// <param name="Detail">What happened in this case.</param>
/// <param name="State">For a refused job command, the job's state when it was refused (an extension member).</param>
public sealed record ApiProblem(
    string Type,
    string Title,
    int Status,
    string Detail,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? State = null)
{
    /// <summary>The media type of problem documents.</summary>
    public const string MediaType = "application/problem+json";

    private const string TypePrefix = "urn:bulkdurable:problem:";

    /// <summary>400: the request is malformed (bad header, bad JSON body, invalid id).</summary>
    public static ApiProblem Malformed(string detail) => new(TypePrefix + "malformed-request", "The request is malformed.", 400, detail);

    /// <summary>400: the payload cannot be loaded at all (empty, not the declared format, CSV header mismatch, corrupt gzip).</summary>
    public static ApiProblem PayloadRejected(PayloadRejectedException exception) =>
        new(TypePrefix + "payload-rejected", "The payload cannot be loaded.", 400, exception?.Message ?? "");

    /// <summary>404: the dataset is not in the catalog.</summary>
    public static ApiProblem UnknownDataset(string? dataset) =>
        new(TypePrefix + "unknown-dataset", "Unknown dataset.", 404, new UnknownDatasetException(dataset).Message);

    /// <summary>404: no such job.</summary>
    public static ApiProblem UnknownJob(string? jobId) =>
        new(TypePrefix + "unknown-job", "Unknown job.", 404, $"There is no job '{Shorten(jobId)}'.");

    /// <summary>404: no such upload.</summary>
    public static ApiProblem UnknownUpload(string? uploadId) =>
        new(TypePrefix + "unknown-upload", "Unknown upload.", 404, $"There is no upload '{Shorten(uploadId)}'; request an upload URL with POST /api/uploads and PUT the payload there first.");

    /// <summary>409: a request with the same idempotency key is still being accepted.</summary>
    public static ApiProblem KeyInFlight(string key) =>
        new(TypePrefix + "idempotency-key-in-flight", "A request with this Idempotency-Key is in progress.", 409, $"Another request with Idempotency-Key '{Shorten(key)}' is still being accepted; retry after the Retry-After delay.");

    /// <summary>409: the job cannot do that in its state (e.g. resume a job that is not suspended).</summary>
    public static ApiProblem InvalidState(string jobId, string state, string action) =>
        new(TypePrefix + "invalid-job-state", "The job cannot do that now.", 409, $"Job {jobId} is {state}; it cannot be {action}.", state);

    /// <summary>409: a redrive while the job's previous run is still stopping (its segments end within a chunk's time).</summary>
    public static ApiProblem PreviousRunStopping(string jobId, string state) =>
        new(TypePrefix + "invalid-job-state", "The job cannot do that now.", 409, $"Job {jobId} is {state}; its previous run is still stopping, so it cannot be redriven yet. Retry after the Retry-After delay.", state);

    /// <summary>409: a job id is already used with another payload.</summary>
    public static ApiProblem JobConflict(JobConflictException exception) =>
        new(TypePrefix + "job-conflict", "The job id is taken.", 409, exception?.Message ?? "");

    /// <summary>413: the payload is larger than accepted in a request body (or at all).</summary>
    public static ApiProblem TooLarge(PayloadTooLargeException exception) =>
        new(TypePrefix + "payload-too-large", "The payload is too large.", 413, (exception?.Message ?? "") + " Use POST /api/uploads for large payloads.");

    /// <summary>429: a published limit is reached (submissions per caller, jobs running); the answer carries Retry-After.</summary>
    public static ApiProblem TooManyRequests(string detail) =>
        new(TypePrefix + "too-many-requests", "Too many requests.", 429, detail);

    /// <summary>415: unsupported Content-Type or Content-Encoding.</summary>
    public static ApiProblem UnsupportedMediaType(string? contentType, string? contentEncoding) =>
        new(
            TypePrefix + "unsupported-media-type",
            "Unsupported media type.",
            415,
            $"Content-Type '{Shorten(contentType)}'{(string.IsNullOrEmpty(contentEncoding) ? "" : $" with Content-Encoding '{Shorten(contentEncoding)}'")} is not supported. Use {string.Join(", ", PayloadFormats.MediaTypes.Keys)} (UTF-8), optionally with Content-Encoding: gzip.");

    /// <summary>422: the idempotency key was used with a different payload within its window.</summary>
    public static ApiProblem KeyReused(string key, string originalJobId) =>
        new(TypePrefix + "idempotency-key-reused", "The Idempotency-Key was used with a different payload.", 422, $"Idempotency-Key '{Shorten(key)}' was used for job {originalJobId} with a different payload. Use a new key for a new payload.");

    private static string Shorten(string? text) => InputText.Show(text, 100);
}
