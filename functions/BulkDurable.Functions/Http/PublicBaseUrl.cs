using BulkDurable.Ingestion.Diagnostics;

namespace BulkDurable.Functions.Http;

/// <summary>
/// The base URL clients reach the app on. Behind the Functions host the worker sees the request as
/// forwarded to it, so the standard forwarding headers (<c>Forwarded</c>, then
/// <c>X-Forwarded-Proto</c>/<c>X-Forwarded-Host</c>) win over the request's own scheme and host, the
/// same precedence the Durable extension uses for its management URLs. The result never carries a
/// query string, so no key or code ends up in a link.
/// </summary>
public static class PublicBaseUrl
{
    /// <summary>Builds the base URL (ending with '/').</summary>
    /// <param name="scheme">The request's scheme.</param>
    /// <param name="host">The request's host (with port, if any).</param>
    /// <param name="pathBase">The request's path base, if any.</param>
    /// <param name="forwarded">The <c>Forwarded</c> header (RFC 7239), if any.</param>
    /// <param name="forwardedProto">The <c>X-Forwarded-Proto</c> header, if any.</param>
    /// <param name="forwardedHost">The <c>X-Forwarded-Host</c> header, if any.</param>
    public static Uri From(string scheme, string host, string? pathBase = null, string? forwarded = null, string? forwardedProto = null, string? forwardedHost = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(scheme);
        ArgumentException.ThrowIfNullOrEmpty(host);
        var (proto, publicHost) = (scheme, host);
        var (forwardedProtoValue, forwardedHostValue) = ParseForwarded(forwarded);
        if (forwardedProtoValue is not null || forwardedHostValue is not null)
        {
            proto = forwardedProtoValue ?? proto;
            publicHost = forwardedHostValue ?? publicHost;
        }
        else
        {
            proto = FirstValue(forwardedProto) ?? proto;
            publicHost = FirstValue(forwardedHost) ?? publicHost;
        }

        return TryBuild(proto, publicHost, pathBase) ?? TryBuild(scheme, host, pathBase)
            ?? throw new ArgumentException($"'{InputText.Show(scheme + "://" + host, 256)}' is not a valid base URL.", nameof(host));
    }

    private static (string? Proto, string? Host) ParseForwarded(string? forwarded)
    {
        var first = FirstValue(forwarded);
        if (first is null)
        {
            return (null, null);
        }

        string? proto = null, host = null;
        foreach (var pair in first.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2)
            {
                continue;
            }

            var value = parts[1].Trim('"');
            if (parts[0].Equals("proto", StringComparison.OrdinalIgnoreCase))
            {
                proto = value;
            }
            else if (parts[0].Equals("host", StringComparison.OrdinalIgnoreCase))
            {
                host = value;
            }
        }

        return (proto, host);
    }

    // Proxies append: "https, http" means the client spoke https to the first proxy.
    private static string? FirstValue(string? header) =>
        header?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();

    private static Uri? TryBuild(string proto, string host, string? pathBase)
    {
        if (!proto.Equals("http", StringComparison.OrdinalIgnoreCase) && !proto.Equals("https", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (host.IndexOfAny(['/', '\\', '?', '#', '@', ' ']) >= 0
            || !Uri.TryCreate($"{proto.ToLowerInvariant()}://{host}/", UriKind.Absolute, out var root))
        {
            return null;
        }

        var path = string.IsNullOrEmpty(pathBase) ? "" : pathBase.Trim('/');
        return path.Length == 0 ? root : new Uri(root, path + "/");
    }
}
