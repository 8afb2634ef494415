using BulkDurable.Ingestion.Payloads;

namespace BulkDurable.Ingestion.Jobs;

/// <summary>
/// A job as accepted: which payload goes into which dataset. Small by design: it is the input of the
/// Durable orchestration and is stored as <c>jobs/{jobId}/job.json</c>.
/// </summary>
/// <param name="JobId">The job id (<see cref="JobIds"/>).</param>
/// <param name="Dataset">The catalogued dataset the records go into.</param>
/// <param name="Format">The payload's record format.</param>
/// <param name="Compression">How the payload is compressed.</param>
/// <param name="PayloadBlob">Where the payload is stored, as submitted.</param>
/// <param name="PayloadSha256">Hex SHA-256 of the payload as submitted.</param>
/// <param name="PayloadBytes">Size of the payload as submitted.</param>
/// <param name="SubmittedAt">When the job was accepted.</param>
/// <param name="IdempotencyKey">The client's idempotency key, if it sent one.</param>
/// <param name="ChunkRecords">Records per chunk; fixed when the job is accepted (configuration when null).</param>
/// <param name="ChunkBytes">Bytes that close a chunk early; fixed when the job is accepted (configuration when null).</param>
/// <param name="Caller">Who submitted the job over HTTP (its id; null for the CLI and for anonymous callers): only that caller, or an operator, sees and commands it.</param>
/// <param name="PayloadETag">The version of an upload the job was submitted with: the job loads that version or fails (null for a payload the request staged itself).</param>
public sealed record JobDescriptor(
    string JobId,
    string Dataset,
    PayloadFormat Format,
    PayloadCompression Compression,
    string PayloadBlob,
    string PayloadSha256,
    long PayloadBytes,
    DateTimeOffset SubmittedAt,
    string? IdempotencyKey = null,
    int? ChunkRecords = null,
    int? ChunkBytes = null,
    string? Caller = null,
    string? PayloadETag = null);
