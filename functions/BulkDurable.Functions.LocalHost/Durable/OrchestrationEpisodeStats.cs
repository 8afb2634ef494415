using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using DurableTask.Core;
using DurableTask.Core.Middleware;

namespace BulkDurable.Functions.LocalHost.Durable;

/// <summary>
/// What orchestrations cost the host: per orchestration name, the episodes run, the history events
/// each replayed, and the time spent executing them (replay included; loading the history from storage
/// is not). A dispatcher middleware feeds it; <c>GET /admin/durable/stats</c> reports it, and the
/// <c>BulkDurable.LocalHost</c> meter publishes it, so replay cost that grows with a job shows as numbers.
/// </summary>
public sealed class OrchestrationEpisodeStats : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "BulkDurable.LocalHost";

    private readonly ConcurrentDictionary<string, Totals> _byName = new(StringComparer.Ordinal);
    private readonly Meter _meter;
    private readonly Histogram<double> _episodeDuration;
    private readonly Counter<long> _replayedEvents;

    /// <summary>Creates the statistics and their instruments.</summary>
    public OrchestrationEpisodeStats(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _meter = meters.Create(MeterName);
        _episodeDuration = _meter.CreateHistogram<double>("durabletask.orchestration.episode.duration", "ms", "Time one orchestration episode took to execute, replay included.");
        _replayedEvents = _meter.CreateCounter<long>("durabletask.orchestration.replayed_events", "{event}", "History events replayed by orchestration episodes.");
    }

    /// <summary>The totals so far, by orchestration name.</summary>
    public IReadOnlyDictionary<string, EpisodeTotals> Snapshot() =>
        _byName.ToDictionary(p => p.Key, p => p.Value.Read(), StringComparer.Ordinal);

    /// <summary>The dispatcher middleware that measures each episode.</summary>
    public async Task MeasureAsync(DispatchMiddlewareContext context, Func<Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var state = context.GetProperty<OrchestrationRuntimeState>();
        var started = Stopwatch.GetTimestamp();
        await next().ConfigureAwait(false);
        if (state?.Name is not { } name)
        {
            return;
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        var replayed = state.PastEvents.Count;
        _byName.GetOrAdd(name, _ => new Totals()).Add(replayed, state.Events.Count, elapsed);
        var tag = new KeyValuePair<string, object?>("orchestration", name);
        _episodeDuration.Record(elapsed.TotalMilliseconds, tag);
        _replayedEvents.Add(replayed, tag);
    }

    /// <inheritdoc/>
    public void Dispose() => _meter.Dispose();

    private sealed class Totals
    {
        private readonly Lock _gate = new();
        private long _episodes;
        private long _replayedEvents;
        private long _maxHistory;
        private TimeSpan _time;

        public void Add(int replayed, int history, TimeSpan elapsed)
        {
            lock (_gate)
            {
                _episodes++;
                _replayedEvents += replayed;
                _maxHistory = Math.Max(_maxHistory, history);
                _time += elapsed;
            }
        }

        public EpisodeTotals Read()
        {
            lock (_gate)
            {
                return new EpisodeTotals(_episodes, _replayedEvents, _maxHistory, _time.TotalMilliseconds);
            }
        }
    }
}

/// <summary>The cost of one orchestration name's episodes so far.</summary>
/// <param name="Episodes">Episodes executed.</param>
/// <param name="ReplayedEvents">History events replayed, over all episodes.</param>
/// <param name="MaxHistoryEvents">The longest history an episode had.</param>
/// <param name="ExecutionMilliseconds">Time spent executing episodes, replay included.</param>
public sealed record EpisodeTotals(long Episodes, long ReplayedEvents, long MaxHistoryEvents, double ExecutionMilliseconds);
