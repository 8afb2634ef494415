using System.Globalization;

namespace BulkDurable.Functions.LocalHost.Http;

/// <summary>
/// The Functions host's own request body limit, <c>FUNCTIONS_REQUEST_BODY_SIZE_LIMIT</c> (100 MiB by
/// default): a request that declares a larger body is answered 413 before the function runs, as by the
/// host in front of the worker. The worker's own server limit (Kestrel's 30 MB) stays as it is in the
/// worker: the app lifts it per request.
/// </summary>
internal sealed class HostRequestBodyLimit(RequestDelegate next, IConfiguration configuration)
{
    /// <summary>The setting, as the Functions host names it.</summary>
    public const string Setting = "FUNCTIONS_REQUEST_BODY_SIZE_LIMIT";

    private const long DefaultLimit = 100L * 1024 * 1024;

    private readonly long _limit = long.TryParse(configuration[Setting], NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit > 0 ? limit : DefaultLimit;

    /// <summary>Refuses a declared body above the limit.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Request.ContentLength > _limit)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return Task.CompletedTask;
        }

        return next(context);
    }
}
