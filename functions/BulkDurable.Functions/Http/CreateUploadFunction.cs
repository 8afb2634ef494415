using BulkDurable.Functions.Diagnostics;
using BulkDurable.Functions.Security;
using BulkDurable.Ingestion.Api;
using BulkDurable.Ingestion.Uploads;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace BulkDurable.Functions.Http;

/// <summary>
/// <c>POST /api/uploads</c>: a short-lived, write-only URL for one payload blob, for payloads larger
/// than a request body may be (<see cref="ApiOptions.MaxRequestBodyBytes"/>). Answers <c>201 Created</c>
/// with <c>{ uploadId, uploadUrl, expiresAt }</c>.
/// </summary>
public sealed class CreateUploadFunction(UploadUrlIssuer issuer, CallerResolver callers, ILogger<CreateUploadFunction> logger)
{
    /// <summary>The HTTP function.</summary>
    [Function(FunctionNames.CreateUpload)]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.Uploads)] HttpRequest request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            // Issued to its caller: only that caller may submit the upload.
            var caller = callers.Resolve(request);
            var grant = await issuer.IssueAsync(caller.Id == Caller.AnonymousId ? null : caller.Id, cancellationToken).ConfigureAwait(false);
            Log.UploadIssued(logger, grant.UploadId, grant.ExpiresAt);
            return ApiResults.Json(StatusCodes.Status201Created, grant, ApiJsonContext.Default.UploadGrant);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.RequestFailed(logger, ex, FunctionNames.CreateUpload, "-");
            return ApiResults.ServerError();
        }
    }
}
