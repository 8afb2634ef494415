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
/// <c>HttpManagementPayload</c>), as many as <see cref="ApiOptions.ManagementLinks"/> hands out (the
/// others are absent). In Azure they carry the Durable extension's system key: by default none is
/// handed out there, and they never appear in a status document.
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
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? SendEventPostUri,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? TerminatePostUri,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? PurgeHistoryDeleteUri,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? SuspendPostUri,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? ResumePostUri)
{
    /// <summary>
    /// The links <paramref name="mode"/> hands out of <paramref name="links"/>, or null for none. Auto
    /// hands them all out when none carries a key (<c>code=</c>: the local host, <c>func start</c>) and
    /// none otherwise (Azure).
    /// </summary>
    public static ManagementLinksDocument? Select(ManagementLinksDocument? links, ManagementLinks mode)
    {
        if (links is null)
        {
            return null;
        }

        return mode switch
        {
            ManagementLinks.None => null,
            ManagementLinks.Auto => links.CarriesKey ? null : links,
            ManagementLinks.StatusOnly => links with { SendEventPostUri = null, TerminatePostUri = null, PurgeHistoryDeleteUri = null, SuspendPostUri = null, ResumePostUri = null },
            _ => links,
        };
    }

    /// <summary>Whether any URL carries a key in its query (<c>code=</c>).</summary>
    private bool CarriesKey =>
        new[] { StatusQueryGetUri, SendEventPostUri, TerminatePostUri, PurgeHistoryDeleteUri, SuspendPostUri, ResumePostUri }
            .Any(url => url is not null && (url.Contains("?code=", StringComparison.OrdinalIgnoreCase) || url.Contains("&code=", StringComparison.OrdinalIgnoreCase)));
}

/// <summary>Which built-in Durable management URLs the API hands out (<see cref="ApiOptions.ManagementLinks"/>).</summary>
public enum ManagementLinks
{
    /// <summary>All of them where they carry no key (the local host, <c>func start</c>); none where they would (Azure). The default.</summary>
    Auto,

    /// <summary>None: clients poll the job's status URL.</summary>
    None,

    /// <summary>The Durable status URL only. In Azure it carries the system key, which opens the whole Durable HTTP API.</summary>
    StatusOnly,

    /// <summary>Every URL (status, raise event, terminate, purge, suspend, resume), each with the system key in Azure.</summary>
    All,
}
