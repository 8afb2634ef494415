namespace BulkDurable.Ingestion.Diagnostics;

/// <summary>
/// Called by the engine at each <see cref="FaultPoint"/>. Production hosts use the default, which
/// does nothing; fault-tolerance tests register one that kills or stalls the process.
/// </summary>
public interface IFaultInjector
{
    /// <summary>The engine reached <paramref name="point"/> for a job (and chunk, when one is concerned).</summary>
    ValueTask ReachedAsync(FaultPoint point, string jobId, int? chunkIndex, CancellationToken cancellationToken);
}

/// <summary>The production injector: no faults.</summary>
internal sealed class NoFaultInjector : IFaultInjector
{
    public ValueTask ReachedAsync(FaultPoint point, string jobId, int? chunkIndex, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
