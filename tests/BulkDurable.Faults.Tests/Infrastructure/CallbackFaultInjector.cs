using BulkDurable.Ingestion.Diagnostics;

namespace BulkDurable.Faults.Tests.Infrastructure;

/// <summary>
/// Runs an action (restart a server…) the <c>arrival</c>-th time the engine reaches a fault point,
/// in the engine's own flow: the step that reached the point waits for the action, the others run on.
/// </summary>
internal sealed class CallbackFaultInjector(FaultPoint point, int arrival, Func<Task> action) : IFaultInjector
{
    private int _arrivals;

    /// <summary>Whether the action ran.</summary>
    public bool Fired { get; private set; }

    public async ValueTask ReachedAsync(FaultPoint reached, string jobId, int? chunkIndex, CancellationToken cancellationToken)
    {
        if (reached != point || Interlocked.Increment(ref _arrivals) != arrival)
        {
            return;
        }

        Fired = true;
        await action();
    }
}
