using BulkDurable.Ingestion.Diagnostics;

namespace BulkDurable.Functions.LocalHost.Faults;

/// <summary>
/// Fault injection for tests of the Durable path (section <c>LocalHost:Faults</c>): at the
/// <see cref="OnArrival"/>-th time the engine reaches <see cref="Point"/> in this host process, the
/// host is killed with SIGKILL or the step throws. Unset, nothing is injected. A development host
/// facility: the Functions host has none.
/// </summary>
public sealed class HostFaultOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "LocalHost:Faults";

    /// <summary>Where to inject.</summary>
    public FaultPoint? Point { get; set; }

    /// <summary>What to do there.</summary>
    public HostFaultAction Action { get; set; } = HostFaultAction.Kill;

    /// <summary>Which arrival at <see cref="Point"/> (1 for the first) triggers the fault.</summary>
    public int OnArrival { get; set; } = 1;

    /// <summary>With <see cref="HostFaultAction.Delay"/>: how long the step waits.</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>With <see cref="HostFaultAction.Throw"/>: throw at every arrival from <see cref="OnArrival"/> on, not only once.</summary>
    public bool Repeat { get; set; }
}

/// <summary>What an injected fault does.</summary>
public enum HostFaultAction
{
    /// <summary>SIGKILL of the host process: no finally block, no flush, as when a machine loses power.</summary>
    Kill,

    /// <summary>The step throws an <see cref="InjectedFaultException"/>, a failure no retry policy knows.</summary>
    Throw,

    /// <summary>The step waits <see cref="HostFaultOptions.Delay"/>, as a slow request or a GC pause would.</summary>
    Delay,
}
