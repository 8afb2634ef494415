using System.Diagnostics;
using System.Text.RegularExpressions;

namespace BulkDurable.Functions.LocalHost.Http;

/// <summary>
/// The host's request log, with keys redacted: ASP.NET Core's own request log prints every URL with its
/// query string, and the Durable management URLs carry the system key as <c>?code=</c>. That log is
/// switched off for good (a filter that configuration cannot override); this one writes the same line
/// with <c>code</c> replaced, at Debug.
/// </summary>
internal sealed partial class RedactedRequestLog(RequestDelegate next, ILogger<RedactedRequestLog> logger)
{
    /// <summary>The category of ASP.NET Core's own request log.</summary>
    public const string AspNetCoreRequestCategory = "Microsoft.AspNetCore.Hosting.Diagnostics";

    /// <summary>Logs the request, once answered.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var started = Stopwatch.GetTimestamp();
        await next(context).ConfigureAwait(false);
        if (logger.IsEnabled(LogLevel.Debug))
        {
            LogRequest(logger, context.Request.Method, context.Request.Path, Redact(context.Request.QueryString.Value), context.Response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    /// <summary>A query string with the value of every <c>code</c> parameter replaced.</summary>
    public static string Redact(string? query) => string.IsNullOrEmpty(query) ? "" : CodeParameter().Replace(query, "$1code=[redacted]");

    [GeneratedRegex("([?&])code=[^&]*", RegexOptions.IgnoreCase)]
    private static partial Regex CodeParameter();

    [LoggerMessage(1, LogLevel.Debug, "{Method} {Path}{Query} answered {Status} in {Milliseconds:0.0} ms")]
    private static partial void LogRequest(ILogger logger, string method, string path, string query, int status, double milliseconds);
}
