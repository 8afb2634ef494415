using BulkDurable.Ingestion.Jobs;

namespace BulkDurable.Ingestion.Api;

/// <summary>
/// The body of <c>202 Accepted</c> from <c>POST /api/datasets/{dataset}/jobs</c> (also for a replayed
/// <c>Idempotency-Key</c>). <see cref="StatusUrl"/> is the <c>Location</c> header too.
/// </summary>
/// <param name="JobId">The job.</param>
/// <param name="Dataset">The dataset.</param>
/// <param name="State">The job's state now (<c>Accepted</c> for a new job).</param>
/// <param name="StatusUrl">Where to poll the job's status (<c>GET</c>, <see cref="JobStatusDocument"/>).</param>
/// <param name="FailedRecordsUrl">Where the job's rejected records will be (<c>GET</c>, NDJSON).</param>
/// <param name="Management">The Durable Functions management URLs of the job's orchestration.</param>
public sealed record JobAcceptedDocument(
    string JobId,
    string Dataset,
    string State,
    string StatusUrl,
    string FailedRecordsUrl,
    ManagementLinksDocument? Management)
{
    /// <summary>Seconds a client should wait before polling (the <c>Retry-After</c> header).</summary>
    public const int RetryAfterSeconds = 5;

    /// <summary>Builds the document for a job.</summary>
    public static JobAcceptedDocument Create(string jobId, string dataset, string state, Uri baseUrl, ManagementLinksDocument? management)
    {
        JobIds.Validate(jobId);
        ArgumentException.ThrowIfNullOrEmpty(dataset);
        ArgumentException.ThrowIfNullOrEmpty(state);
        return new JobAcceptedDocument(
            jobId,
            dataset,
            state,
            ApiRoutes.StatusUrl(baseUrl, jobId).AbsoluteUri,
            ApiRoutes.FailedRecordsUrl(baseUrl, jobId).AbsoluteUri,
            management);
    }
}

/// <summary>
/// The built-in Durable Functions management URLs of an orchestration instance (its
/// <c>HttpManagementPayload</c>). In Azure they carry the Durable extension's system key: they are
/// returned only to the client that submitted the job, never in a status document.
/// </summary>
/// <param name="Id">The instance id (the job id).</param>
/// <param name="StatusQueryGetUri">The Durable status endpoint.</param>
/// <param name="SendEventPostUri">Raises an event (<c>{eventName}</c> placeholder).</param>
/// <param name="TerminatePostUri">Terminates the instance.</param>
/// <param name="PurgeHistoryDeleteUri">Purges the instance's history.</param>
/// <param name="SuspendPostUri">Suspends the instance.</param>
/// <param name="ResumePostUri">Resumes the instance.</param>
public sealed record ManagementLinksDocument(
    string Id,
    string StatusQueryGetUri,
    string SendEventPostUri,
    string TerminatePostUri,
    string PurgeHistoryDeleteUri,
    string? SuspendPostUri,
    string? ResumePostUri);
