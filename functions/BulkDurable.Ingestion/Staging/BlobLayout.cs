using System.Globalization;
using BulkDurable.Ingestion.Jobs;

namespace BulkDurable.Ingestion.Staging;

/// <summary>
/// Where everything of a job lives in the container. Payloads are written under <c>uploads/</c>
/// before a job exists (a request body, or an upload URL); everything else under <c>jobs/{jobId}/</c>.
/// </summary>
public static class BlobLayout
{
    /// <summary>A staged payload.</summary>
    public static string Upload(string uploadId) => "uploads/" + JobIds.Validate(uploadId, nameof(uploadId));

    /// <summary>Who an upload URL was issued to (<c>uploads/{uploadId}.issued.json</c>, beside the upload; its URL cannot write it).</summary>
    public static string UploadIssue(string uploadId) => Upload(uploadId) + ".issued.json";

    /// <summary>The folder of a job.</summary>
    public static string JobPrefix(string jobId) => $"jobs/{JobIds.Validate(jobId)}/";

    /// <summary>The job descriptor (<c>job.json</c>), written when the job is accepted.</summary>
    public static string Job(string jobId) => JobPrefix(jobId) + "job.json";

    /// <summary>The plan (<c>manifest.json</c>): payload facts, chunk count, and which plan attempt's files count.</summary>
    public static string Manifest(string jobId) => JobPrefix(jobId) + "manifest.json";

    /// <summary>
    /// The folder of one planning attempt. Concurrent attempts (a redelivered activity, two CLI runs)
    /// never share files; the manifest, written once, names the attempt that won.
    /// </summary>
    public static string PlanFolder(string jobId, string attemptId) => JobPrefix(jobId) + "plan-" + JobIds.Validate(attemptId, nameof(attemptId)) + "/";

    /// <summary>The decompressed payload, written while planning a compressed one.</summary>
    public static string DecodedPayload(string jobId, string attemptId) => PlanFolder(jobId, attemptId) + "payload.decoded";

    /// <summary>The chunk index: fixed-size chunk descriptors, read by range (<c>chunks.bin</c>).</summary>
    public static string ChunkIndex(string jobId, string attemptId) => PlanFolder(jobId, attemptId) + "chunks.bin";

    /// <summary>Records rejected while planning (oversized or malformed).</summary>
    public static string PlanRejections(string jobId, string attemptId) => PlanFolder(jobId, attemptId) + "rejected.ndjson";

    /// <summary>Records of one chunk rejected while loading it.</summary>
    public static string ChunkRejections(string jobId, int chunkIndex) =>
        JobPrefix(jobId) + "rejected/chunk-" + chunkIndex.ToString("D6", CultureInfo.InvariantCulture) + ".ndjson";

    /// <summary>All rejected records of the job, in record order (written when the job is finalized).</summary>
    public static string FailedRecords(string jobId) => JobPrefix(jobId) + "failed-records.ndjson";

    /// <summary>The job's final result (<c>result.json</c>).</summary>
    public static string Result(string jobId) => JobPrefix(jobId) + "result.json";
}
