namespace BulkDurable.Functions.LocalHost;

/// <summary>The host's state as <c>GET /admin/host/status</c> reports it (the Functions host's names).</summary>
public sealed class LocalHostState
{
    private volatile string _state = "Initialized";

    /// <summary><c>Initialized</c>, <c>Running</c> or <c>Stopping</c>.</summary>
    public string State => _state;

    /// <summary>The Durable worker is dispatching.</summary>
    public void MarkRunning() => _state = "Running";

    /// <summary>The host is shutting down.</summary>
    public void MarkStopping() => _state = "Stopping";
}
