namespace BulkDurable.Functions.LocalHost.Http;

/// <summary>
/// The keys the local host checks (section <c>LocalHost:Keys</c>). With none set, it checks none, as
/// <c>func start</c> does; with any set, it checks them as the Functions host does in Azure:
/// <c>Function</c> routes need a function key or the master key, <c>Admin</c> routes and the admin API
/// the master key, the Durable HTTP API the system key (<c>durabletask_extension</c>) or the master key.
/// A key is sent as <c>x-functions-key</c> or <c>?code=</c>.
/// </summary>
public sealed class HostKeysOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "LocalHost:Keys";

    /// <summary>The master (host admin) key.</summary>
    public string? Master { get; set; }

    /// <summary>The Durable extension's system key, carried by the built-in management URLs.</summary>
    public string? System { get; set; }

    /// <summary>Function keys by name; the name is the caller's identity (the <c>keyid</c> claim).</summary>
    public Dictionary<string, string> Functions { get; } = new(StringComparer.Ordinal);

    /// <summary>Whether any key is set, and so checked.</summary>
    public bool Enabled => !string.IsNullOrEmpty(Master) || !string.IsNullOrEmpty(System) || Functions.Count > 0;
}
