namespace BulkDurable.Cli.Api;

// The HTTP API's documents as the client reads and writes them (camelCase JSON; see docs/cli.md).
// The job status document is the engine's JobStatusDocument.

/// <summary>The body of <c>202 Accepted</c> from <c>POST /api/datasets/{dataset}/jobs</c> (its management links are not kept: they may carry keys).</summary>
/// <param name="JobId">The job.</param>
/// <param name="Dataset">The dataset.</param>
/// <param name="State">The job's state when accepted.</param>
/// <param name="StatusUrl">Where to poll the job's status.</param>
/// <param name="FailedRecordsUrl">Where to read its rejected records once finished.</param>
internal sealed record JobAcceptedResponse(string JobId, string Dataset, string State, string? StatusUrl, string? FailedRecordsUrl);

/// <summary>The body of <c>201 Created</c> from <c>POST /api/uploads</c>.</summary>
/// <param name="UploadId">Names the upload in the job request.</param>
/// <param name="UploadUrl">A write-only SAS URL of a block blob; it is a secret and never printed.</param>
/// <param name="ExpiresAt">When the URL stops working.</param>
internal sealed record UploadTicketResponse(string UploadId, string UploadUrl, DateTimeOffset ExpiresAt);

/// <summary>The body of <c>POST /api/datasets/{dataset}/jobs</c> for a payload uploaded through an upload URL.</summary>
/// <param name="UploadId">The upload.</param>
/// <param name="Format">ndjson, json or csv.</param>
/// <param name="Compression">none or gzip.</param>
internal sealed record UploadJobRequest(string UploadId, string Format, string Compression);

/// <summary>An error response (RFC 9457 <c>application/problem+json</c>).</summary>
/// <param name="Type">The problem type URI.</param>
/// <param name="Title">A fixed summary of the type.</param>
/// <param name="Status">The HTTP status code.</param>
/// <param name="Detail">What happened in this case.</param>
internal sealed record ProblemDocument(string? Type, string? Title, int? Status, string? Detail);
