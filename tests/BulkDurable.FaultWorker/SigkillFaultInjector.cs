using System.Diagnostics;
using BulkDurable.Ingestion.Diagnostics;

namespace BulkDurable.FaultWorker;

/// <summary>
/// Kills the process with SIGKILL the <c>killOn</c>-th time the engine reaches <c>killAt</c>: no
/// finally block, no disposal, no flush runs, exactly as when a machine loses power or the OOM
/// killer strikes. (<see cref="Environment.FailFast(string)"/> would abort with SIGABRT instead.)
/// </summary>
internal sealed class SigkillFaultInjector(FaultPoint? killAt, int killOn) : IFaultInjector
{
    private int _arrivals;

    public ValueTask ReachedAsync(FaultPoint point, string jobId, int? chunkIndex, CancellationToken cancellationToken)
    {
        if (point != killAt || Interlocked.Increment(ref _arrivals) != killOn)
        {
            return ValueTask.CompletedTask;
        }

        // Stderr is unbuffered: the parent sees where the process died.
        Console.Error.WriteLine($"fault: SIGKILL at {point} #{killOn} (job {jobId}{(chunkIndex is { } chunk ? $", chunk {chunk}" : "")})");
        using var self = Process.GetCurrentProcess();
        self.Kill();
        Thread.Sleep(Timeout.Infinite);
        return ValueTask.CompletedTask;
    }
}
