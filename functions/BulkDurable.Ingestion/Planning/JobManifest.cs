using BulkDurable.Ingestion.Payloads;
using BulkDurable.Ingestion.Payloads.Scanning;

namespace BulkDurable.Ingestion.Planning;

/// <summary>
/// The plan of a job (<c>manifest.json</c>): what the payload turned out to hold and how it is
/// split. Chunk descriptors themselves are in the chunk index (<c>chunks.bin</c>).
/// </summary>
/// <param name="JobId">The job.</param>
/// <param name="PlanId">The plan's identity (<see cref="PlanSettings.PlanIdFor"/>): the same for every planning of the job.</param>
/// <param name="AttemptId">The planning attempt whose files this manifest uses (<see cref="Staging.BlobLayout.PlanFolder"/>).</param>
/// <param name="Dataset">The target dataset.</param>
/// <param name="Format">The record format.</param>
/// <param name="SourceBlob">The blob chunks are read from: the payload, or its decoded copy when compressed.</param>
/// <param name="SourceETag">The source blob's ETag; chunk reads require it, so a changed payload is never loaded.</param>
/// <param name="SourceBytes">Size of the source blob.</param>
/// <param name="ChunkCount">Number of chunks.</param>
/// <param name="RecordCount">Records submitted, the rejected-while-planning ones included.</param>
/// <param name="PlanRejectedCount">Records rejected while planning (oversized or malformed).</param>
/// <param name="CsvFields">The CSV header's field names (CSV only).</param>
/// <param name="Problems">Problems with the payload as a whole that did not stop the job.</param>
/// <param name="PlannedAt">When the plan was made.</param>
public sealed record JobManifest(
    string JobId,
    string PlanId,
    string AttemptId,
    string Dataset,
    PayloadFormat Format,
    string SourceBlob,
    string SourceETag,
    long SourceBytes,
    int ChunkCount,
    long RecordCount,
    long PlanRejectedCount,
    IReadOnlyList<string>? CsvFields,
    IReadOnlyList<PayloadProblem> Problems,
    DateTimeOffset PlannedAt)
{
    /// <summary>What loading a chunk of this plan needs.</summary>
    public PlanContext Context => new(JobId, PlanId, Dataset, Format, CsvFields, SourceBlob, SourceETag);
}
