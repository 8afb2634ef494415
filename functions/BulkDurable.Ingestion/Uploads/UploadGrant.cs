namespace BulkDurable.Ingestion.Uploads;

/// <summary>
/// A write-only URL for one payload blob: the body of <c>201 Created</c> from <c>POST /api/uploads</c>.
/// PUT the payload there (a single <c>Put Blob</c> with <c>x-ms-blob-type: BlockBlob</c>, or blocks and
/// a block list for large payloads), then submit <c>{ "uploadId": ... }</c> as a job.
/// </summary>
/// <param name="UploadId">The id to submit the job with.</param>
/// <param name="UploadUrl">The blob URL with a SAS allowing only create and write, until <paramref name="ExpiresAt"/>.</param>
/// <param name="ExpiresAt">When the URL stops working.</param>
/// <param name="Headers">Headers a single-request upload must send.</param>
public sealed record UploadGrant(string UploadId, Uri UploadUrl, DateTimeOffset ExpiresAt, IReadOnlyDictionary<string, string> Headers);
