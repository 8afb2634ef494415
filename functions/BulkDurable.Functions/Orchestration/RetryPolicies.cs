using BulkDurable.Ingestion.Loading;
using Microsoft.DurableTask;

namespace BulkDurable.Functions.Orchestration;

/// <summary>
/// Task options of the activities: exponential back-off that retries only
/// <see cref="RetryableIngestionException"/>, the engine's verdict on a failure. Everything else is
/// permanent and surfaces at once.
/// </summary>
public static class RetryPolicies
{
    /// <summary>The options every activity call uses.</summary>
    public static TaskOptions Activity(RetrySettings retry)
    {
        ArgumentNullException.ThrowIfNull(retry);
        return TaskOptions.FromRetryPolicy(new RetryPolicy(
            retry.MaxAttempts,
            retry.FirstInterval,
            retry.BackoffCoefficient,
            // Durable refuses a cap below the first interval; the options allow setting both freely.
            retry.MaxInterval < retry.FirstInterval ? retry.FirstInterval : retry.MaxInterval)
        {
            HandleFailure = IsRetryable,
        });
    }

    /// <summary>
    /// Whether a failure is retryable: a <see cref="RetryableIngestionException"/>, also when the worker
    /// reports it as the inner failure of a wrapper (e.g. an <see cref="AggregateException"/> from an
    /// async function).
    /// </summary>
    public static bool IsRetryable(TaskFailureDetails failure)
    {
        for (var current = failure; current is not null; current = current.InnerFailure)
        {
            if (current.IsCausedBy<RetryableIngestionException>())
            {
                return true;
            }
        }

        return false;
    }
}
