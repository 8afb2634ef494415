using BulkDurable.Ingestion.Jobs;

namespace BulkDurable.Ingestion.Api;

/// <summary>
/// The routes of the HTTP API and the links built from them. Links are absolute, built from the
/// public base URL (which the host derives from the request, forwarded headers included) and never
/// carry a key: clients authenticate with the <c>x-functions-key</c> header.
/// </summary>
public static class ApiRoutes
{
    /// <summary>The header a client sends its function key in (the Functions host also reads <c>?code=</c>).</summary>
    public const string FunctionKeyHeader = "x-functions-key";

    /// <summary>The Functions route prefix (host.json <c>extensions.http.routePrefix</c>, default "api").</summary>
    public const string Prefix = "api";

    /// <summary>Route template of job submissions.</summary>
    public const string SubmitJob = "datasets/{dataset}/jobs";

    /// <summary>Route template of upload URL requests.</summary>
    public const string Uploads = "uploads";

    /// <summary>Route template of a job's status.</summary>
    public const string JobStatus = "jobs/{jobId}";

    /// <summary>Route template of a job's failed records.</summary>
    public const string FailedRecords = "jobs/{jobId}/failed-records";

    /// <summary>Route template of cancelling a job.</summary>
    public const string CancelJob = "jobs/{jobId}/cancel";

    /// <summary>Route template of suspending a job.</summary>
    public const string SuspendJob = "jobs/{jobId}/suspend";

    /// <summary>Route template of resuming a job.</summary>
    public const string ResumeJob = "jobs/{jobId}/resume";

    /// <summary>Route template of redriving a job.</summary>
    public const string RedriveJob = "jobs/{jobId}/redrive";

    /// <summary>Link relation of a status document to itself.</summary>
    public const string SelfRelation = "self";

    /// <summary>Link relation of a status document to the job's failed records.</summary>
    public const string FailedRecordsRelation = "failedRecords";

    /// <summary>Where jobs of a dataset are submitted (<c>POST</c>).</summary>
    public static Uri SubmitJobUrl(Uri baseUrl, string dataset)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataset);
        return new(Require(baseUrl), $"{Prefix}/datasets/{Uri.EscapeDataString(dataset)}/jobs");
    }

    /// <summary>Where upload URLs are requested (<c>POST</c>).</summary>
    public static Uri UploadsUrl(Uri baseUrl) => new(Require(baseUrl), $"{Prefix}/{Uploads}");

    /// <summary>The status URL of a job (<c>GET</c>).</summary>
    public static Uri StatusUrl(Uri baseUrl, string jobId) =>
        new(Require(baseUrl), $"{Prefix}/jobs/{Uri.EscapeDataString(JobIds.Validate(jobId))}");

    /// <summary>The failed-records URL of a job (<c>GET</c>, NDJSON).</summary>
    public static Uri FailedRecordsUrl(Uri baseUrl, string jobId) =>
        new(Require(baseUrl), $"{Prefix}/jobs/{Uri.EscapeDataString(JobIds.Validate(jobId))}/failed-records");

    /// <summary>The links of a status document: itself, and its failed records when there are some.</summary>
    public static IReadOnlyDictionary<string, string> StatusLinks(Uri baseUrl, string jobId, bool hasFailedRecords)
    {
        var links = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [SelfRelation] = StatusUrl(baseUrl, jobId).AbsoluteUri,
        };
        if (hasFailedRecords)
        {
            links[FailedRecordsRelation] = FailedRecordsUrl(baseUrl, jobId).AbsoluteUri;
        }

        return links;
    }

    private static Uri Require(Uri baseUrl)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        return baseUrl.IsAbsoluteUri && string.IsNullOrEmpty(baseUrl.Query)
            ? baseUrl
            : throw new ArgumentException("The base URL must be absolute and carry no query.", nameof(baseUrl));
    }
}
