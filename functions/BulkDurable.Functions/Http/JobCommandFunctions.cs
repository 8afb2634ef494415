using BulkDurable.Functions.Diagnostics;
using BulkDurable.Functions.Orchestration;
using BulkDurable.Functions.Security;
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
public sealed class JobCommandFunctions(JobStatusReader statusReader, OrchestrationSettingsFactory settings, JobOrchestrations orchestrations, CallerResolver callers, ILogger<JobCommandFunctions> logger)
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
            // Another caller's job is as unknown as a made-up id: 404, so that job ids do not leak.
            var status = await statusReader.ReadAsync(jobId, cancellationToken).ConfigureAwait(false);
            if (status is null || !callers.Resolve(request).Owns(status.Job))
            {
                return ApiResults.Problem(ApiProblem.UnknownJob(jobId));
            }

            var instance = await client.GetInstanceAsync(jobId, getInputsAndOutputs: command == JobCommand.Redrive, cancellationToken).ConfigureAwait(false);
            var runtime = RuntimeStates.From(instance);
            if (JobCommandPolicy.Check(command, runtime, status) is { } refused)
            {
                return ApiResults.Problem(refused);
            }

            if (await TryRunAsync(command, client, status, instance, runtime, cancellationToken).ConfigureAwait(false) is { } problem)
            {
                return problem;
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
    /// Runs the command; null when it went through, or the refusal. The policy was checked against the
    /// state a moment ago: if the job moved on meanwhile (it finished, or another command was faster),
    /// the client's refusal is answered with the job's actual state as a 409, never a 500.
    /// </summary>
    private async Task<IActionResult?> TryRunAsync(JobCommand command, DurableTaskClient client, JobStatus status, OrchestrationMetadata? instance, JobRuntimeState runtime, CancellationToken cancellationToken)
    {
        var jobId = status.Job.JobId;
        try
        {
            switch (command)
            {
                case JobCommand.Cancel:
                    await orchestrations.CancelAsync(client, jobId, runtime == JobRuntimeState.Suspended, Reason, cancellationToken).ConfigureAwait(false);
                    break;
                case JobCommand.Suspend:
                    await orchestrations.SuspendAsync(client, jobId, Reason, cancellationToken).ConfigureAwait(false);
                    break;
                case JobCommand.Resume:
                    await orchestrations.ResumeAsync(client, jobId, Reason, cancellationToken).ConfigureAwait(false);
                    break;
                case JobCommand.Redrive:
                    if (await JobOrchestrations.HasLiveSegmentsAsync(client, jobId, cancellationToken).ConfigureAwait(false))
                    {
                        // A terminated run's segment ends within a chunk's time; two runs never load side by side.
                        return ApiResults.Problem(ApiProblem.PreviousRunStopping(jobId, JobStatusView.StateOf(status, runtime)), RetryAfter());
                    }

                    if (!await TryRedriveAsync(client, status, instance, cancellationToken).ConfigureAwait(false))
                    {
                        return ApiResults.Problem(ApiProblem.InvalidState(jobId, "Running", "redriven before its current run ends"));
                    }

                    break;
            }

            return null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var now = await statusReader.ReadAsync(jobId, cancellationToken).ConfigureAwait(false) ?? status;
            var runtimeNow = RuntimeStates.From(await client.GetInstanceAsync(jobId, getInputsAndOutputs: false, cancellationToken).ConfigureAwait(false));
            if (JobCommandPolicy.Check(command, runtimeNow, now) is { } refused)
            {
                Log.CommandRaced(logger, ex, jobId, command.ToString(), refused.Detail);
                return ApiResults.Problem(refused);
            }

            throw;
        }
    }

    /// <summary>The run number of the instance's input; 0 when its history is gone or its input is not ours.</summary>
    private static int PreviousRun(OrchestrationMetadata? instance)
    {
        try
        {
            return Math.Max(0, instance?.ReadInputAs<IngestJobInput>()?.Run ?? 0);
        }
        catch (System.Text.Json.JsonException)
        {
            return 0;
        }
    }

    private static Dictionary<string, string> RetryAfter() =>
        new(StringComparer.OrdinalIgnoreCase) { ["Retry-After"] = JobAcceptedDocument.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) };

    /// <summary>
    /// Schedules a new run of the job orchestration under the same instance id (a finished instance
    /// may be replaced; a live one may not). The run loads only the chunks not in the ledger.
    /// </summary>
    private async Task<bool> TryRedriveAsync(DurableTaskClient client, JobStatus status, OrchestrationMetadata? instance, CancellationToken cancellationToken)
    {
        // The job runs again as accepted (job.json, which the orchestration checks its input against);
        // of the previous run only its number is taken, so that the new run's segments get new ids.
        var previousRun = PreviousRun(instance);
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(
                FunctionNames.IngestJob,
                new IngestJobInput(status.Job, settings.Create(), Redrive: true, Run: previousRun + 1),
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
