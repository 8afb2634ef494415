using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Entities;

namespace BulkDurable.Functions.Admission;

/// <summary>
/// One caller's recent submissions (key: the caller's id), for the per-caller rate limit. The starter
/// reads it before staging and signals each admitted submission. A read and a signal are not one
/// operation, so callers submitting at the same instant may pass the limit by the number of requests
/// in flight together; it is a guard against floods, not an exact quota.
/// </summary>
public sealed class SubmissionRateEntity : TaskEntity<SubmissionWindow>
{
    /// <summary>Records an admitted submission.</summary>
    public void Record(SubmissionRecord submission)
    {
        ArgumentNullException.ThrowIfNull(submission);
        State.Record(submission.At, submission.Limit);
    }

    /// <summary>The window.</summary>
    public SubmissionWindow Get() => State;

    /// <summary>The entity function.</summary>
    [Function(FunctionNames.SubmissionRateEntity)]
    public static Task RunEntityAsync([EntityTrigger] TaskEntityDispatcher dispatcher)
    {
        ArgumentNullException.ThrowIfNull(dispatcher);
        return dispatcher.DispatchAsync<SubmissionRateEntity>();
    }
}

/// <summary>Input of <c>SubmissionRate.Record</c>.</summary>
/// <param name="At">When the submission was admitted.</param>
/// <param name="Limit">The per-minute limit it was admitted under (the window keeps at most that many).</param>
public sealed record SubmissionRecord(DateTimeOffset At, int Limit);
