using BulkDurable.Ingestion.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace BulkDurable.Functions.Http;

/// <summary>What the HTTP functions read from a request.</summary>
internal static class RequestExtensions
{
    /// <summary>The base URL clients reach the app on (the worker sees the request forwarded by the host).</summary>
    public static Uri GetPublicBaseUrl(this HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return PublicBaseUrl.From(
            request.Scheme,
            request.Host.HasValue ? request.Host.Value! : "localhost",
            request.PathBase.Value,
            request.Headers["Forwarded"].ToString(),
            request.Headers["X-Forwarded-Proto"].ToString(),
            request.Headers["X-Forwarded-Host"].ToString());
    }

    /// <summary>
    /// Lifts the server's own body limit (Kestrel's 30 MB default) for this request: the API enforces
    /// <see cref="ApiOptions.MaxRequestBodyBytes"/> itself while streaming, with a proper 413.
    /// </summary>
    public static void LiftServerBodyLimit(this HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = null;
        }
    }
}
