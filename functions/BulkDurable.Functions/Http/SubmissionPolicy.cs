using BulkDurable.Ingestion.Api;
using BulkDurable.Ingestion.Jobs;
using BulkDurable.Ingestion.Staging;

namespace BulkDurable.Functions.Http;

/// <summary>
/// Idempotency decisions of a submission beyond <see cref="IdempotencyPolicy"/>: what to answer when
/// the job id a key maps to turns out to be taken already (a concurrent submission with the same key
/// won the race to <c>job.json</c> or to the Durable instance id).
/// </summary>
public static class SubmissionPolicy
{
    /// <summary>
    /// <see cref="IdempotencyVerdict.Replay"/> when <paramref name="existing"/> holds the same dataset and
    /// payload (return it), otherwise <see cref="IdempotencyVerdict.Mismatch"/> (422).
    /// </summary>
    public static IdempotencyVerdict CompareExisting(JobDescriptor existing, string dataset, string payloadSha256)
    {
        return PayloadMatch.IsSame(existing, dataset, payloadSha256) ? IdempotencyVerdict.Replay : IdempotencyVerdict.Mismatch;
    }

    /// <summary>A 400 problem for a payload that cannot be a job (it is empty), otherwise null.</summary>
    public static ApiProblem? CheckPayload(StagedPayload payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        return payload.Length == 0
            ? ApiProblem.Malformed("The payload is empty: send the records as the request body, or {\"uploadId\": \"...\"} for an uploaded payload.")
            : null;
    }
}
