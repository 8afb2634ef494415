using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using BulkDurable.Ingestion.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace BulkDurable.Functions.Http;

/// <summary>
/// The API's responses. They serialize with the engine's <see cref="ApiJsonContext"/> (the documented
/// camelCase contract) and write straight to the response, so nothing depends on MVC formatters.
/// </summary>
internal static class ApiResults
{
    /// <summary>A JSON document.</summary>
    public static ApiJsonResult<T> Json<T>(int status, T value, JsonTypeInfo<T> typeInfo, IReadOnlyDictionary<string, string>? headers = null) =>
        new(status, value, typeInfo, "application/json; charset=utf-8", headers ?? new Dictionary<string, string>());

    /// <summary>An <c>application/problem+json</c> error.</summary>
    public static ApiJsonResult<ApiProblem> Problem(ApiProblem problem, IReadOnlyDictionary<string, string>? headers = null) =>
        new(problem.Status, problem, ApiJsonContext.Default.ApiProblem, ApiProblem.MediaType, headers ?? new Dictionary<string, string>());

    /// <summary>The 500 answer to a failure that is not the client's: no details leak.</summary>
    public static ApiJsonResult<ApiProblem> ServerError() =>
        Problem(new ApiProblem("urn:bulkdurable:problem:internal-error", "The request failed.", StatusCodes.Status500InternalServerError, "The server failed to process the request; it is logged. Retry later."));
}

/// <summary>A JSON response with headers.</summary>
/// <typeparam name="T">The document type.</typeparam>
internal sealed class ApiJsonResult<T>(int statusCode, T value, JsonTypeInfo<T> typeInfo, string contentType, IReadOnlyDictionary<string, string> headers) : IActionResult
{
    public int StatusCode => statusCode;

    public T Value => value;

    public string ContentType => contentType;

    public IReadOnlyDictionary<string, string> Headers => headers;

    public async Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.HttpContext.Response;
        response.StatusCode = statusCode;
        response.ContentType = contentType;
        foreach (var (name, headerValue) in headers)
        {
            response.Headers[name] = headerValue;
        }

        await JsonSerializer.SerializeAsync(response.Body, value, typeInfo, context.HttpContext.RequestAborted).ConfigureAwait(false);
    }
}

/// <summary>A streamed body (the failed-records NDJSON), copied without buffering; the stream is disposed.</summary>
internal sealed class StreamBodyResult(Stream? content, string contentType) : IActionResult
{
    public string ContentType => contentType;

    public Stream? Content => content;

    public async Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.HttpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = contentType;
        if (content is null)
        {
            return;
        }

        await using (content.ConfigureAwait(false))
        {
            await content.CopyToAsync(response.Body, context.HttpContext.RequestAborted).ConfigureAwait(false);
        }
    }
}
