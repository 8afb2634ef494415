using BulkDurable.Functions.Diagnostics;
using BulkDurable.Functions.Security;
using BulkDurable.Ingestion.Api;
using BulkDurable.Ingestion.Results;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace BulkDurable.Functions.Http;

/// <summary>
/// <c>GET /api/jobs/{jobId}</c> and <c>GET /api/jobs/{jobId}/failed-records</c>. The status is exact:
/// read from storage and the ledger by the engine's <see cref="JobStatusReader"/>, with only what the
/// Durable runtime knows on top (a suspended run, a run that ended without finalizing). It never
/// carries the Durable management URLs, which hold the system key.
/// </summary>
public sealed class JobStatusFunctions(JobStatusReader statusReader, CallerResolver callers, ILogger<JobStatusFunctions> logger)
{
    /// <summary>The job's status document.</summary>
    [Function(FunctionNames.GetJobStatus)]
    public async Task<IActionResult> GetStatusAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.JobStatus)] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        string jobId,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(client);
        try
        {
            // Another caller's job is as unknown as a made-up id: 404, so that job ids do not leak.
            var status = await statusReader.ReadAsync(jobId, cancellationToken).ConfigureAwait(false);
            if (status is null || !callers.Resolve(request).Owns(status.Job))
            {
                return ApiResults.Problem(ApiProblem.UnknownJob(jobId));
            }

            var instance = await client.GetInstanceAsync(jobId, getInputsAndOutputs: false, cancellationToken).ConfigureAwait(false);
            var document = JobStatusView.Build(status, RuntimeStates.From(instance), request.GetPublicBaseUrl());
            return ApiResults.Json(StatusCodes.Status200OK, document, ApiJsonContext.Default.JobStatusDocument);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.RequestFailed(logger, ex, FunctionNames.GetJobStatus, jobId);
            return ApiResults.ServerError();
        }
    }

    /// <summary>
    /// The job's rejected records, streamed as NDJSON in record order (empty until the job is finalized,
    /// or when nothing was rejected).
    /// </summary>
    [Function(FunctionNames.GetFailedRecords)]
    public async Task<IActionResult> GetFailedRecordsAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.FailedRecords)] HttpRequest request,
        string jobId,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            // The records are the caller's data: its own job's only.
            var job = await statusReader.ReadJobAsync(jobId, cancellationToken).ConfigureAwait(false);
            if (job is null || !callers.Resolve(request).Owns(job))
            {
                return ApiResults.Problem(ApiProblem.UnknownJob(jobId));
            }

            return new StreamBodyResult(await statusReader.OpenFailedRecordsAsync(jobId, cancellationToken).ConfigureAwait(false), "application/x-ndjson");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.RequestFailed(logger, ex, FunctionNames.GetFailedRecords, jobId);
            return ApiResults.ServerError();
        }
    }
}
