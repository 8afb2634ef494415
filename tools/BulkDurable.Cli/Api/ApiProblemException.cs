using System.Net;
using System.Text.Json;
using BulkDurable.Cli.Output;
using BulkDurable.Ingestion.Diagnostics;
using BulkDurable.Ingestion.Api;

namespace BulkDurable.Cli.Api;

/// <summary>The API answered with an error; the message is the problem's <c>title: detail</c>.</summary>
internal sealed class ApiProblemException : Exception
{
    private const int MaxBodyInMessage = 300;

    private ApiProblemException(HttpStatusCode status, string message, TimeSpan? retryAfter)
        : base(message)
    {
        Status = status;
        RetryAfter = retryAfter;
    }

    /// <summary>The HTTP status code.</summary>
    public HttpStatusCode Status { get; }

    /// <summary>The response's <c>Retry-After</c>, when it had one.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>Whether the API asked to try again later (429 or 503): the request itself was fine.</summary>
    public bool IsThrottling => Status is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable;

    /// <summary>Whether the request itself was refused (4xx: bad input, unknown dataset, missing key).</summary>
    public bool IsClientError => (int)Status is >= 400 and < 500;

    /// <summary>Reads an error response.</summary>
    public static async Task<ApiProblemException> ReadAsync(HttpResponseMessage response, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(response);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var message = TryReadProblem(body) is { Title: { } title } problem
            ? string.IsNullOrWhiteSpace(problem.Detail) ? title : $"{title}: {problem.Detail}"
            : $"{(int)response.StatusCode} {response.ReasonPhrase}" + (string.IsNullOrWhiteSpace(body) ? "" : ": " + Shorten(body.Trim()));
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            message += " (the endpoint refused the function key: pass --function-key or set BULKDURABLE_FUNCTION_KEY)";
        }

        return new ApiProblemException(response.StatusCode, message, Api.RetryAfter.Of(response, timeProvider.GetUtcNow()));
    }

    private static ApiProblem? TryReadProblem(string body)
    {
        if (!body.TrimStart().StartsWith('{'))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(body, CliJsonContext.Default.ApiProblem);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // Not the API's own problem document: whatever answered (a proxy, a gateway) is shown on one line, controls escaped.
    private static string Shorten(string text) => InputText.Show(text, MaxBodyInMessage);
}
