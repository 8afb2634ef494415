using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace BulkDurable.Functions.Retention;

/// <summary>
/// Timer: runs <see cref="JobHistoryPurge"/> every day at 03:30 UTC (NCRONTAB with seconds). On a
/// scaled-out app the timer's singleton lock runs it on one instance at a time; a missed run is
/// caught up by the next (the purge takes everything before its cutoff).
/// </summary>
public sealed class PurgeJobHistoryFunction(JobHistoryPurge purge)
{
    /// <summary>The schedule.</summary>
    public const string Schedule = "0 30 3 * * *";

    /// <summary>The timer function.</summary>
    [Function(FunctionNames.PurgeJobHistory)]
    public async Task RunAsync([TimerTrigger(Schedule)] TimerInfo timer, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        await purge.RunAsync(client, cancellationToken).ConfigureAwait(false);
    }
}
