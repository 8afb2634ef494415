using BulkDurable.Ingestion.Configuration;

namespace BulkDurable.Ingestion.Jobs;

/// <summary>Exponential back-off with jitter for retryable failures.</summary>
public static class Backoff
{
    /// <summary>
    /// The delay before retry number <paramref name="retry"/> (1 for the first retry): the
    /// exponential delay capped at <see cref="RetryOptions.MaxInterval"/>, of which a random half is
    /// kept, so that workers failing together do not retry together.
    /// </summary>
    public static TimeSpan Delay(int retry, RetryOptions options, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retry, 1);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(random);
        var exponential = options.FirstInterval.TotalMilliseconds * Math.Pow(options.BackoffCoefficient, retry - 1);
        var capped = Math.Min(exponential, options.MaxInterval.TotalMilliseconds);
        return TimeSpan.FromMilliseconds((capped / 2) + (random.NextDouble() * capped / 2));
    }
}
