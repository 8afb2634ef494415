using BulkDurable.Functions.Admission;
using BulkDurable.Functions.Diagnostics;
using BulkDurable.Functions.Entities;
using BulkDurable.Functions.Orchestration;
using BulkDurable.Functions.Security;
using BulkDurable.Ingestion.Api;
using BulkDurable.Ingestion.Catalog;
using BulkDurable.Ingestion.Configuration;
using BulkDurable.Ingestion.Jobs;
using BulkDurable.Ingestion.Payloads;
using BulkDurable.Ingestion.Results;
using BulkDurable.Ingestion.Running;
using BulkDurable.Ingestion.Staging;
using BulkDurable.Ingestion.Uploads;
using DurableTask.Core.Exceptions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BulkDurable.Functions.Http;

/// <summary>
/// <c>POST /api/datasets/{dataset}/jobs</c>: streams the payload to Blob Storage (hashing it on the
/// way), applies the idempotency rules, records the job and schedules its orchestration, and answers
/// <c>202 Accepted</c>. The body is the payload itself, or <c>{"uploadId": ...}</c> for a payload put
/// through an upload URL. See docs/functions.md for the idempotency semantics.
/// </summary>
public sealed class SubmitJobFunction(
    DatasetCatalog catalog,
    PayloadStager stager,
    IngestionSteps steps,
    IngestionBlobStore store,
    JobStatusReader statusReader,
    OrchestrationSettingsFactory settings,
    IManagementLinkFactory managementLinks,
    UploadUrlIssuer uploads,
    CallerResolver callers,
    AdmissionControl admission,
    IOptions<ApiOptions> apiOptions,
    IOptions<IngestionOptions> ingestionOptions,
    TimeProvider timeProvider,
    ILogger<SubmitJobFunction> logger)
{
    // Every status: an instance id is never reused for another submission, whatever became of it.
    private static readonly OrchestrationRuntimeStatus[] AllStatuses =
    [
        OrchestrationRuntimeStatus.Pending,
        OrchestrationRuntimeStatus.Running,
        OrchestrationRuntimeStatus.Suspended,
        OrchestrationRuntimeStatus.Completed,
        OrchestrationRuntimeStatus.Failed,
        OrchestrationRuntimeStatus.Terminated,
    ];

    /// <summary>The HTTP function.</summary>
    [Function(FunctionNames.SubmitJob)]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.SubmitJob)] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        string dataset,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(client);
        if (!catalog.TryGet(dataset, out _))
        {
            return ApiResults.Problem(ApiProblem.UnknownDataset(dataset));
        }

        if (!IdempotencyKeys.TryParse(request.Headers[IdempotencyKeys.HeaderName], out var key, out var keyProblem))
        {
            return ApiResults.Problem(keyProblem);
        }

        if (!SubmissionBody.TryFromHeaders(request.ContentType, request.Headers.ContentEncoding.ToString(), out var body, out var mediaProblem))
        {
            return ApiResults.Problem(mediaProblem);
        }

        var caller = callers.Resolve(request);
        Payload? payload = null;
        var payloadInUse = false;
        try
        {
            // Before anything is staged: a refused submission costs no storage.
            if (await admission.CheckAsync(client, caller, dataset, await ResubmitsLiveJobAsync(client, dataset, caller, key, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false) is { } refusal)
            {
                Log.SubmissionRefused(logger, dataset, caller.Id, refusal.Problem.Detail);
                return ApiResults.Problem(refusal.Problem, RetryAfter(refusal.RetryAfter));
            }

            var staged = await StageAsync(request, body, caller, cancellationToken).ConfigureAwait(false);
            if (staged.Problem is not null)
            {
                return ApiResults.Problem(staged.Problem);
            }

            payload = staged.Payload!;
            if (SubmissionPolicy.CheckPayload(payload.Staged) is { } emptyProblem)
            {
                return ApiResults.Problem(emptyProblem);
            }

            var submission = await SubmitAsync(request, client, dataset, caller, key, payload, cancellationToken).ConfigureAwait(false);
            payloadInUse = submission.PayloadInUse;
            return submission.Result;
        }
        catch (Exception ex) when (ApiProblemMapper.TryMap(ex, out var problem))
        {
            return ApiResults.Problem(problem);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.SubmissionFailed(logger, ex, dataset);
            return ApiResults.ServerError();
        }
        finally
        {
            // A payload this request staged and no job refers to is removed; an upload the client made
            // is its own, and may be the payload of an earlier job.
            if (payload is { OwnedByRequest: true } && !payloadInUse)
            {
                await store.DeleteIfExistsAsync(payload.Staged.BlobName, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Whether the key already names a live job of this caller (a client retrying mid-flight adds no job).</summary>
    private static async Task<bool> ResubmitsLiveJobAsync(DurableTaskClient client, string dataset, Caller caller, string? key, CancellationToken cancellationToken)
    {
        if (key is null)
        {
            return false;
        }

        var entity = await client.Entities.GetEntityAsync<IdempotencyKeyState>(EntityIds.IdempotencyKey(dataset, CallerOf(caller), key), includeState: true, cancellationToken).ConfigureAwait(false);
        return entity is { IncludesState: true, State.JobId: { } jobId }
            && await client.GetInstanceAsync(jobId, getInputsAndOutputs: false, cancellationToken).ConfigureAwait(false) is { RuntimeStatus: OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Suspended };
    }

    /// <summary>The caller as recorded on its jobs: null for the anonymous caller.</summary>
    private static string? CallerOf(Caller caller) => caller.Id == Caller.AnonymousId ? null : caller.Id;

    private async Task<(Payload? Payload, ApiProblem? Problem)> StageAsync(HttpRequest request, SubmissionBody body, Caller caller, CancellationToken cancellationToken)
    {
        var limit = apiOptions.Value.MaxRequestBodyBytes;
        if (request.ContentLength > limit)
        {
            return (null, ApiProblem.TooLarge(new PayloadTooLargeException(limit, "request body")));
        }

        // Before the first read: once the body has been read, the server's own limit (Kestrel's 30 MB)
        // can no longer be changed, and MaxRequestBodyBytes is the one limit users see.
        request.LiftServerBodyLimit();
        var content = request.Body;
        if (body.MayBeUploadReference)
        {
            var peeked = await PeekedBody.ReadAsync(content, cancellationToken).ConfigureAwait(false);
            if (peeked.FirstByte == '{')
            {
                var (reference, problem) = await UploadReference.ReadAsync(peeked.Content, cancellationToken).ConfigureAwait(false);
                if (reference is null)
                {
                    return (null, problem);
                }

                // An upload is its caller's: another caller's upload id is as unknown as a made-up one.
                var upload = await uploads.IsIssuedToAsync(reference.UploadId, CallerOf(caller), cancellationToken).ConfigureAwait(false)
                    ? await stager.DescribeUploadAsync(reference.UploadId, cancellationToken).ConfigureAwait(false)
                    : null;
                return upload is null
                    ? (null, ApiProblem.UnknownUpload(reference.UploadId))
                    : (new Payload(upload, reference.Format, reference.Compression, OwnedByRequest: false), null);
            }

            content = peeked.Content;
        }

        var staged = await stager.StageAsync(new LengthLimitedReadStream(content, limit), cancellationToken).ConfigureAwait(false);
        return (new Payload(staged, body.Format, body.Compression, OwnedByRequest: true), null);
    }

    private async Task<Submission> SubmitAsync(HttpRequest request, DurableTaskClient client, string dataset, Caller caller, string? key, Payload payload, CancellationToken cancellationToken)
    {
        var owner = CallerOf(caller);
        var now = timeProvider.GetUtcNow();
        string jobId;
        if (key is null)
        {
            jobId = JobIds.New();
        }
        else
        {
            var entity = await client.Entities.GetEntityAsync<IdempotencyKeyState>(EntityIds.IdempotencyKey(dataset, owner, key), includeState: true, cancellationToken).ConfigureAwait(false);
            var decision = IdempotencyPolicy.Decide(entity is { IncludesState: true } ? entity.State : null, dataset, IdempotencyKeys.Scope(owner, key), payload.Staged.Sha256, now, ingestionOptions.Value.IdempotencyWindow);
            switch (decision.Verdict)
            {
                case IdempotencyVerdict.Replay:
                    return new Submission(await ReplayAsync(request, client, decision.JobId, dataset, cancellationToken).ConfigureAwait(false), PayloadInUse: false);
                case IdempotencyVerdict.Mismatch:
                    return new Submission(ApiResults.Problem(ApiProblem.KeyReused(key, decision.JobId)), PayloadInUse: false);
            }

            jobId = decision.JobId;
        }

        var job = new JobDescriptor(jobId, dataset, payload.Format, payload.Compression, payload.Staged.BlobName, payload.Staged.Sha256, payload.Staged.Length, now, key, Caller: owner, PayloadETag: payload.Staged.ETag);
        var acceptance = await steps.AcceptAsync(job, cancellationToken).ConfigureAwait(false);
        var accepted = acceptance.Job;
        var payloadInUse = accepted.PayloadBlob == job.PayloadBlob;
        var replayed = !acceptance.IsNew;
        if (replayed && SubmissionPolicy.CompareExisting(accepted, dataset, payload.Staged.Sha256) == IdempotencyVerdict.Mismatch)
        {
            // A concurrent submission with the same key and another payload recorded the job first.
            return new Submission(ApiResults.Problem(ApiProblem.KeyReused(key!, jobId)), payloadInUse);
        }

        // Scheduled even when another request recorded the job (same key, same payload): should that
        // request have died before scheduling, this one starts the job; otherwise the instance exists.
        var started = await TryScheduleAsync(client, accepted, cancellationToken).ConfigureAwait(false);
        if (!started)
        {
            var existing = await client.GetInstanceAsync(jobId, getInputsAndOutputs: true, cancellationToken).ConfigureAwait(false);
            var existingJob = existing?.ReadInputAs<IngestJobInput>()?.Job;
            if (existingJob is null)
            {
                return new Submission(ApiResults.Problem(ApiProblem.KeyInFlight(key ?? jobId), RetryAfter()), payloadInUse);
            }

            if (SubmissionPolicy.CompareExisting(existingJob, dataset, payload.Staged.Sha256) != IdempotencyVerdict.Replay)
            {
                return new Submission(ApiResults.Problem(ApiProblem.KeyReused(key ?? jobId, jobId)), payloadInUse);
            }

            // Exactly one request records the job: it is the new submission, whichever request
            // scheduled the orchestration; every other one is a replay, and so is a request that finds
            // an instance older than the job it recorded (the job's files were lost, its run was not).
            if (!acceptance.IsNew || existing!.CreatedAt < accepted.SubmittedAt)
            {
                return new Submission(await ReplayAsync(request, client, jobId, dataset, cancellationToken).ConfigureAwait(false), payloadInUse);
            }
        }

        Log.JobAccepted(logger, jobId, dataset, payload.Staged.Length, key is not null);
        var document = JobAcceptedDocument.Create(jobId, dataset, JobState.Accepted.ToString(), request.GetPublicBaseUrl(), ManagementLinks(client, jobId));
        return new Submission(Accepted(document, replayed), payloadInUse);
    }

    /// <summary>Schedules the job's orchestration; false when an instance with its id exists.</summary>
    private async Task<bool> TryScheduleAsync(DurableTaskClient client, JobDescriptor job, CancellationToken cancellationToken)
    {
        if (job.IdempotencyKey is not null && await client.GetInstanceAsync(job.JobId, getInputsAndOutputs: false, cancellationToken).ConfigureAwait(false) is not null)
        {
            // Checked first as well: a host that ignores per-request dedupe statuses would replace a finished instance.
            return false;
        }

        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(
                FunctionNames.IngestJob,
                new IngestJobInput(job, settings.Create()),
                new StartOrchestrationOptions(job.JobId).WithDedupeStatuses(AllStatuses),
                cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OrchestrationAlreadyExistsException)
        {
            return false;
        }
    }

    private async Task<IActionResult> ReplayAsync(HttpRequest request, DurableTaskClient client, string jobId, string dataset, CancellationToken cancellationToken)
    {
        var status = await statusReader.ReadAsync(jobId, cancellationToken).ConfigureAwait(false);
        var instance = await client.GetInstanceAsync(jobId, getInputsAndOutputs: false, cancellationToken).ConfigureAwait(false);
        var state = status is null ? JobState.Accepted.ToString() : JobStatusView.StateOf(status, RuntimeStates.From(instance));
        Log.JobReplayed(logger, jobId, dataset);
        var document = JobAcceptedDocument.Create(jobId, status?.Job.Dataset ?? dataset, state, request.GetPublicBaseUrl(), ManagementLinks(client, jobId));
        return Accepted(document, replayed: true);
    }

    /// <summary>The built-in management URLs <see cref="ApiOptions.ManagementLinks"/> hands out (none by default where they carry the system key).</summary>
    private ManagementLinksDocument? ManagementLinks(DurableTaskClient client, string jobId) =>
        ManagementLinksDocument.Select(managementLinks.Create(client, jobId), apiOptions.Value.ManagementLinks);

    private static ApiJsonResult<JobAcceptedDocument> Accepted(JobAcceptedDocument document, bool replayed)
    {
        var headers = RetryAfter();
        headers["Location"] = document.StatusUrl;
        if (replayed)
        {
            headers[IdempotencyKeys.ReplayedHeaderName] = "true";
        }

        return ApiResults.Json(StatusCodes.Status202Accepted, document, ApiJsonContext.Default.JobAcceptedDocument, headers);
    }

    private static Dictionary<string, string> RetryAfter() => RetryAfter(TimeSpan.FromSeconds(JobAcceptedDocument.RetryAfterSeconds));

    private static Dictionary<string, string> RetryAfter(TimeSpan delay) =>
        new(StringComparer.OrdinalIgnoreCase) { ["Retry-After"] = ((long)Math.Ceiling(Math.Max(delay.TotalSeconds, 1))).ToString(System.Globalization.CultureInfo.InvariantCulture) };

    /// <summary>A payload ready to become a job.</summary>
    private sealed record Payload(StagedPayload Staged, PayloadFormat Format, PayloadCompression Compression, bool OwnedByRequest);

    /// <summary>The answer, and whether a job refers to the payload.</summary>
    private sealed record Submission(IActionResult Result, bool PayloadInUse);
}
