using BulkDurable.Functions.Diagnostics;
using BulkDurable.Functions.Orchestration;
using BulkDurable.Ingestion.Api;
using BulkDurable.Ingestion.Results;
using DurableTask.Core.Exceptions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace BulkDurable.Functions.Http;

/// <summary>
/// <c>POST /api/jobs/{jobId}/cancel|suspend|resume|redrive</c>. Whether a job accepts a command in
/// its state is the engine's <see cref="JobCommandPolicy"/>; a refusal is a 409. Commands take effect
/// asynchronously: the answer is <c>202 Accepted</c> with the job's status as it is now and a
/// <c>Location</c> to poll.
/// </summary>
public sealed class JobCommandFunctions(JobStatusReader statusReader, OrchestrationSettingsFactory settings, ILogger<JobCommandFunctions> logger)
{
    private const string Reason = "Requested through the BulkDurable HTTP API.";

    /// <summary>Cancels a job: no new chunk starts, chunks in flight finish, the job is finalized as cancelled.</summary>
    [Function(FunctionNames.CancelJob)]
    public Task<IActionResult> CancelAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.CancelJob)] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        string jobId,
        CancellationToken cancellationToken) => RunAsync(JobCommand.Cancel, request, client, jobId, cancellationToken);

    /// <summary>Suspends a job's orchestration.</summary>
    [Function(FunctionNames.SuspendJob)]
    public Task<IActionResult> SuspendAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.SuspendJob)] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        string jobId,
        CancellationToken cancellationToken) => RunAsync(JobCommand.Suspend, request, client, jobId, cancellationToken);

    /// <summary>Resumes a suspended job.</summary>
    [Function(FunctionNames.ResumeJob)]
    public Task<IActionResult> ResumeAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.ResumeJob)] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        string jobId,
        CancellationToken cancellationToken) => RunAsync(JobCommand.Resume, request, client, jobId, cancellationToken);

    /// <summary>Runs a finished job again for its chunks that are not loaded (failed, or never run).</summary>
    [Function(FunctionNames.RedriveJob)]
    public Task<IActionResult> RedriveAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.RedriveJob)] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        string jobId,
        CancellationToken cancellationToken) => RunAsync(JobCommand.Redrive, request, client, jobId, cancellationToken);

    private async Task<IActionResult> RunAsync(JobCommand command, HttpRequest request, DurableTaskClient client, string jobId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(client);
        try
        {
            var status = await statusReader.ReadAsync(jobId, cancellationToken).ConfigureAwait(false);
            if (status is null)
            {
                return ApiResults.Problem(ApiProblem.UnknownJob(jobId));
            }

            var instance = await client.GetInstanceAsync(jobId, getInputsAndOutputs: command == JobCommand.Redrive, cancellationToken).ConfigureAwait(false);
            var runtime = RuntimeStates.From(instance);
            if (JobCommandPolicy.Check(command, runtime, status) is { } refused)
            {
                return ApiResults.Problem(refused);
            }

            switch (command)
            {
                case JobCommand.Cancel:
                    await client.RaiseEventAsync(jobId, OrchestrationEvents.Cancel, Reason, cancellationToken).ConfigureAwait(false);
                    if (runtime == JobRuntimeState.Suspended)
                    {
                        // A suspended orchestration would keep the event queued until someone resumes it.
                        await client.ResumeInstanceAsync(jobId, Reason, cancellationToken).ConfigureAwait(false);
                    }

                    break;
                case JobCommand.Suspend:
                    await client.SuspendInstanceAsync(jobId, Reason, cancellationToken).ConfigureAwait(false);
                    break;
                case JobCommand.Resume:
                    await client.ResumeInstanceAsync(jobId, Reason, cancellationToken).ConfigureAwait(false);
                    break;
                case JobCommand.Redrive:
                    if (!await TryRedriveAsync(client, status, instance, cancellationToken).ConfigureAwait(false))
                    {
                        return ApiResults.Problem(ApiProblem.InvalidState(jobId, "Running", "redriven before its current run ends"));
                    }

                    break;
            }

            Log.CommandAccepted(logger, jobId, command.ToString());
            var document = JobStatusView.Build(status, runtime, request.GetPublicBaseUrl());
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
            {
                ["Location"] = document.Links![ApiRoutes.SelfRelation],
                ["Retry-After"] = JobAcceptedDocument.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            return ApiResults.Json(StatusCodes.Status202Accepted, document, ApiJsonContext.Default.JobStatusDocument, headers);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.RequestFailed(logger, ex, command.ToString(), jobId);
            return ApiResults.ServerError();
        }
    }

    /// <summary>
    /// Schedules a new run of the job orchestration under the same instance id (a finished instance
    /// may be replaced; a live one may not). The run loads only the chunks not in the ledger.
    /// </summary>
    private async Task<bool> TryRedriveAsync(DurableTaskClient client, JobStatus status, OrchestrationMetadata? instance, CancellationToken cancellationToken)
    {
        // The job runs again as its previous run was scheduled (job.json when that run's history is gone).
        var previous = instance?.ReadInputAs<IngestJobInput>();
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(
                FunctionNames.IngestJob,
                new IngestJobInput(previous?.Job ?? status.Job, settings.Create(), Redrive: true, Run: (previous?.Run ?? 0) + 1),
                new StartOrchestrationOptions(status.Job.JobId).WithDedupeStatuses(OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Suspended),
                cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OrchestrationAlreadyExistsException)
        {
            return false;
        }
    }
}
