using System.Collections.Concurrent;

namespace BulkDurable.Cli.Tests.Api;

/// <summary>
/// The system clock, except that timers record the delay they were asked for and fire twenty times
/// sooner: a test proves which delays a client honoured without waiting for them.
/// </summary>
internal sealed class RecordingTimeProvider : TimeProvider
{
    private readonly ConcurrentQueue<TimeSpan> _delays = new();

    public IReadOnlyList<TimeSpan> Delays => [.. _delays];

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime == Timeout.InfiniteTimeSpan)
        {
            return System.CreateTimer(callback, state, dueTime, period);
        }

        _delays.Enqueue(dueTime);
        return System.CreateTimer(callback, state, TimeSpan.FromTicks(dueTime.Ticks / 20), period);
    }
}
