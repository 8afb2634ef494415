using System.Diagnostics;
using BulkDurable.Ingestion.Diagnostics;
using Microsoft.Extensions.Options;

namespace BulkDurable.Functions.LocalHost.Faults;

/// <summary>The engine's <see cref="IFaultInjector"/> on the local host, as <see cref="HostFaultOptions"/> configure it.</summary>
internal sealed class HostFaultInjector(IOptions<HostFaultOptions> options) : IFaultInjector
{
    private readonly HostFaultOptions _options = options.Value;
    private int _arrivals;

    /// <inheritdoc/>
    public async ValueTask ReachedAsync(FaultPoint point, string jobId, int? chunkIndex, CancellationToken cancellationToken)
    {
        if (point != _options.Point)
        {
            return;
        }

        var arrival = Interlocked.Increment(ref _arrivals);
        if (arrival != _options.OnArrival && !(_options.Repeat && arrival > _options.OnArrival))
        {
            return;
        }

        var where = $"{point} #{arrival} (job {jobId}{(chunkIndex is { } chunk ? $", chunk {chunk}" : "")})";
        switch (_options.Action)
        {
            case HostFaultAction.Throw:
                throw new InjectedFaultException($"Injected fault at {where}.");
            case HostFaultAction.Delay:
                await Task.Delay(_options.Delay, cancellationToken).ConfigureAwait(false);
                return;
        }

        // Stderr is unbuffered: whoever started the host sees where it died.
        Console.Error.WriteLine($"fault: SIGKILL at {where}");
        using var self = Process.GetCurrentProcess();
        self.Kill();
        Thread.Sleep(Timeout.Infinite);
    }
}
