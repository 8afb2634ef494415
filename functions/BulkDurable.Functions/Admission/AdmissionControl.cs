using BulkDurable.Functions.Orchestration;
using BulkDurable.Functions.Security;
using BulkDurable.Ingestion.Api;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Entities;
using Microsoft.Extensions.Options;

namespace BulkDurable.Functions.Admission;

/// <summary>
/// Decides, before a payload is staged, whether a submission is admitted (<see cref="AdmissionOptions"/>):
/// the caller's submissions in the last minute, then the jobs running in all and into the dataset
/// (counted from the task hub's live <c>IngestJob</c> instances). A resubmission of a live job's key
/// adds no job and is not held to the job limits.
/// </summary>
public sealed class AdmissionControl(IOptions<AdmissionOptions> options, TimeProvider timeProvider)
{
    /// <summary>When the job limits are reached: long enough for a job to finish, short enough to keep a queue moving.</summary>
    private static readonly TimeSpan JobLimitRetry = TimeSpan.FromSeconds(15);

    private static readonly OrchestrationRuntimeStatus[] LiveStatuses = [OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Suspended];

    /// <summary>The entity of a caller's submission window.</summary>
    public static EntityInstanceId RateEntity(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return new EntityInstanceId(FunctionNames.SubmissionRateEntity, IdempotencyKeys.EntityKey("callers", caller.Id));
    }

    /// <summary>Null when the submission is admitted (and then recorded); otherwise the refusal: the 429 to answer and its Retry-After.</summary>
    public async Task<AdmissionRefusal?> CheckAsync(DurableTaskClient client, Caller caller, string dataset, bool resubmitsLiveJob, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(caller);
        var limits = options.Value;
        var now = timeProvider.GetUtcNow();
        var window = await client.Entities.GetEntityAsync<SubmissionWindow>(RateEntity(caller), includeState: true, cancellationToken).ConfigureAwait(false);
        var wait = window is { IncludesState: true, State: { } state } ? state.WaitFor(limits.MaxSubmissionsPerCallerPerMinute, now) : TimeSpan.Zero;
        if (wait > TimeSpan.Zero)
        {
            return new AdmissionRefusal(ApiProblem.TooManyRequests($"This caller submitted {limits.MaxSubmissionsPerCallerPerMinute} jobs in the last minute, the most the service takes; retry after the Retry-After delay."), wait);
        }

        if (!resubmitsLiveJob)
        {
            var (all, intoDataset) = await CountLiveJobsAsync(client, dataset, cancellationToken).ConfigureAwait(false);
            if (all >= limits.MaxActiveJobs)
            {
                return new AdmissionRefusal(ApiProblem.TooManyRequests($"{all} jobs are running, the most the service runs at once; retry after the Retry-After delay."), JobLimitRetry);
            }

            if (intoDataset >= limits.MaxActiveJobsPerDataset)
            {
                return new AdmissionRefusal(ApiProblem.TooManyRequests($"{intoDataset} jobs are running into dataset '{dataset}', the most it takes at once; retry after the Retry-After delay."), JobLimitRetry);
            }
        }

        await client.Entities.SignalEntityAsync(RateEntity(caller), nameof(SubmissionRateEntity.Record), new SubmissionRecord(now, limits.MaxSubmissionsPerCallerPerMinute), cancellation: cancellationToken).ConfigureAwait(false);
        return null;
    }

    private static async Task<(int All, int IntoDataset)> CountLiveJobsAsync(DurableTaskClient client, string dataset, CancellationToken cancellationToken)
    {
        int all = 0, intoDataset = 0;
        var query = new OrchestrationQuery { Statuses = LiveStatuses, FetchInputsAndOutputs = true, PageSize = 500 };
        await foreach (var instance in client.GetAllInstancesAsync(query).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (instance.Name != FunctionNames.IngestJob)
            {
                continue;
            }

            all++;
            if (string.Equals(instance.ReadInputAs<IngestJobInput>()?.Job.Dataset, dataset, StringComparison.Ordinal))
            {
                intoDataset++;
            }
        }

        return (all, intoDataset);
    }
}
