using BulkDurable.Cli.Progress;
using BulkDurable.Ingestion.Api;

namespace BulkDurable.Cli.Api;

/// <summary>
/// Polls a job's status until it reaches a final state, waiting what each response's
/// <c>Retry-After</c> asks (2 s when it does not say), and shows its progress.
/// </summary>
internal sealed class JobWatcher(JobsApiClient client, ProgressRenderer renderer, TimeProvider timeProvider)
{
    /// <summary>Throttling answers (429, 503) tolerated in a row before giving up.</summary>
    public const int MaxThrottledPolls = 30;

    private static readonly HashSet<string> FinalStates = new(StringComparer.OrdinalIgnoreCase) { "Completed", "CompletedWithErrors", "Failed", "Cancelled" };

    /// <summary>Whether a state is final.</summary>
    public static bool IsFinal(string state) => FinalStates.Contains(state);

    /// <summary>Polls until the job is in a final state; returns its last status.</summary>
    public async Task<JobStatusDocument> WatchAsync(Uri statusUrl, TimeSpan? firstDelay, CancellationToken cancellationToken)
    {
        var delay = firstDelay ?? RetryAfter.Default;
        var throttled = 0;
        ProgressView? last = null;
        try
        {
            while (true)
            {
                await Task.Delay(delay, timeProvider, cancellationToken).ConfigureAwait(false);
                var poll = await client.GetStatusAsync(statusUrl, cancellationToken).ConfigureAwait(false);
                delay = poll.RetryAfter ?? RetryAfter.Default;
                if (poll.Document is not { } status)
                {
                    if (++throttled > MaxThrottledPolls)
                    {
                        throw CliException.Failure($"the API kept answering 'retry later' ({MaxThrottledPolls} times in a row); the job goes on, poll it again later.");
                    }

                    continue;
                }

                throttled = 0;
                last = ProgressView.From(status.Progress);
                if (IsFinal(status.State))
                {
                    return status;
                }

                renderer.Show(last);
            }
        }
        finally
        {
            renderer.Finish(last);
        }
    }
}
