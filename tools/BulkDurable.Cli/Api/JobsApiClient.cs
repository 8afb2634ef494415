using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using BulkDurable.Cli.Output;
using BulkDurable.Ingestion.Api;
using BulkDurable.Ingestion.Payloads;
using BulkDurable.Ingestion.Uploads;

namespace BulkDurable.Cli.Api;

/// <summary>
/// A client of the deployed HTTP API, on the engine's own contract: its routes
/// (<see cref="ApiRoutes"/>), headers (<see cref="IdempotencyKeys"/>) and documents
/// (<see cref="JobAcceptedDocument"/>, <see cref="UploadGrant"/>, <see cref="UploadReference"/>,
/// <see cref="JobStatusDocument"/>, <see cref="ApiProblem"/>), so that a change to the API breaks this
/// build rather than a user. The function key goes in the <see cref="ApiRoutes.FunctionKeyHeader"/>
/// header, only to the endpoint's own host, and is never printed.
/// </summary>
internal sealed class JobsApiClient
{
    /// <summary>How long a status poll or an upload URL request may take.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(60);

    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private readonly string? _functionKey;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates a client.</summary>
    /// <param name="http">The HTTP client (owned by the caller).</param>
    /// <param name="endpoint">The app's base URL, e.g. https://func-bulkdurable-x.azurewebsites.net.</param>
    /// <param name="functionKey">The function key, if the endpoint needs one.</param>
    /// <param name="timeProvider">The clock Retry-After dates are read against.</param>
    public JobsApiClient(HttpClient http, Uri endpoint, string? functionKey, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(endpoint);
        _http = http;
        _endpoint = BaseUrl(endpoint);
        _functionKey = string.IsNullOrWhiteSpace(functionKey) ? null : functionKey;
        _timeProvider = timeProvider;
    }

    /// <summary>Submits a payload as the request body.</summary>
    public async Task<SubmittedJob> SubmitBodyAsync(string dataset, Stream payload, PayloadFormat format, PayloadCompression compression, string? idempotencyKey, CancellationToken cancellationToken)
    {
        using var content = new StreamContent(payload, 1 << 20);
        content.Headers.ContentType = new MediaTypeHeaderValue(format.ToMediaType());
        if (compression == PayloadCompression.Gzip)
        {
            content.Headers.ContentEncoding.Add("gzip");
        }

        return await SubmitAsync(dataset, content, idempotencyKey, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Submits a payload uploaded through an upload URL.</summary>
    public async Task<SubmittedJob> SubmitUploadAsync(string dataset, string uploadId, PayloadFormat format, PayloadCompression compression, string? idempotencyKey, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(new UploadReference(uploadId, format, compression).ToUtf8Json());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return await SubmitAsync(dataset, content, idempotencyKey, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Asks for an upload URL (<c>POST /api/uploads</c>).</summary>
    public async Task<UploadGrant> CreateUploadAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, ApiRoutes.UploadsUrl(_endpoint));
        using var response = await SendAsync(request, RequestTimeout, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.OK))
        {
            throw await ApiProblemException.ReadAsync(response, _timeProvider, cancellationToken).ConfigureAwait(false);
        }

        return await response.Content.ReadFromJsonAsync(CliJsonContext.Default.UploadGrant, cancellationToken).ConfigureAwait(false)
            ?? throw new HttpRequestException("POST /api/uploads returned an empty body.");
    }

    /// <summary>Reads a job's status. Throttling answers (429, 503) come back without a document, to be retried.</summary>
    public async Task<StatusPoll> GetStatusAsync(Uri statusUrl, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, statusUrl);
        using var response = await SendAsync(request, RequestTimeout, cancellationToken).ConfigureAwait(false);
        var retryAfter = RetryAfter.Of(response, _timeProvider.GetUtcNow());
        if (response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable)
        {
            return new StatusPoll(null, retryAfter);
        }

        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw await ApiProblemException.ReadAsync(response, _timeProvider, cancellationToken).ConfigureAwait(false);
        }

        var document = await response.Content.ReadFromJsonAsync(CliJsonContext.Default.JobStatusDocument, cancellationToken).ConfigureAwait(false)
            ?? throw new HttpRequestException($"GET {UrlRedaction.Redact(statusUrl)} returned an empty body.");
        return new StatusPoll(document, retryAfter);
    }

    private async Task<SubmittedJob> SubmitAsync(string dataset, HttpContent content, string? idempotencyKey, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, ApiRoutes.SubmitJobUrl(_endpoint, dataset)) { Content = content };
        if (!string.IsNullOrEmpty(idempotencyKey))
        {
            request.Headers.Add(IdempotencyKeys.HeaderName, idempotencyKey);
        }

        // No timeout: sending a large body takes as long as it takes.
        using var response = await SendAsync(request, Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw await ApiProblemException.ReadAsync(response, _timeProvider, cancellationToken).ConfigureAwait(false);
        }

        // The management links are dropped at once: where they are handed out they may carry the task hub's system key.
        var accepted = (await response.Content.ReadFromJsonAsync(CliJsonContext.Default.JobAcceptedDocument, cancellationToken).ConfigureAwait(false)
            ?? throw new HttpRequestException("The job request was accepted with an empty body.")) with { Management = null };
        var statusUrl = accepted.StatusUrl is { Length: > 0 } url ? new Uri(_endpoint, url)
            : response.Headers.Location is { } location ? new Uri(_endpoint, location)
            : ApiRoutes.StatusUrl(_endpoint, accepted.JobId);
        var replayed = response.Headers.TryGetValues(IdempotencyKeys.ReplayedHeaderName, out var values) && values.Any(v => v.Equals("true", StringComparison.OrdinalIgnoreCase));
        return new SubmittedJob(accepted, statusUrl, replayed, RetryAfter.Of(response, _timeProvider.GetUtcNow()));
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (_functionKey is not null && request.RequestUri is { } uri && uri.Authority == _endpoint.Authority && uri.Scheme == _endpoint.Scheme)
        {
            request.Headers.Add(ApiRoutes.FunctionKeyHeader, _functionKey);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            return await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new HttpRequestException($"{request.Method} {UrlRedaction.Redact(request.RequestUri!)} got no answer within {timeout.TotalSeconds:0} s.");
        }
    }

    /// <summary>The app's base URL, ending with a slash; a trailing <c>/api</c> is the route prefix, not part of it.</summary>
    private static Uri BaseUrl(Uri endpoint)
    {
        var path = endpoint.AbsolutePath.TrimEnd('/');
        if (path.EndsWith("/api", StringComparison.OrdinalIgnoreCase))
        {
            path = path[..^"/api".Length];
        }

        return new Uri(endpoint.GetLeftPart(UriPartial.Authority) + path + "/");
    }
}

/// <summary>A job the API accepted.</summary>
/// <param name="Accepted">The response body, without its management links.</param>
/// <param name="StatusUrl">Where to poll its status (absolute).</param>
/// <param name="Replayed">Whether the API returned an existing job for the same Idempotency-Key.</param>
/// <param name="RetryAfter">How long to wait before the first poll, when the API said.</param>
internal sealed record SubmittedJob(JobAcceptedDocument Accepted, Uri StatusUrl, bool Replayed, TimeSpan? RetryAfter);

/// <summary>One status poll.</summary>
/// <param name="Document">The status, or null when the API asked to retry later (429, 503).</param>
/// <param name="RetryAfter">How long to wait before the next poll, when the API said.</param>
internal sealed record StatusPoll(JobStatusDocument? Document, TimeSpan? RetryAfter);
