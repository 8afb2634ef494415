using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace BulkDurable.Functions.LocalHost.Http;

/// <summary>
/// Authorization levels as the Functions host applies them (see <see cref="HostKeysOptions"/>). An
/// authorized request carries the host's identity: authentication type <c>WebJobsAuthLevel</c> with the
/// <c>authlevel</c> and <c>keyid</c> claims.
/// </summary>
public sealed class HostKeys(IOptions<HostKeysOptions> options)
{
    /// <summary>The claim naming the level a request was authorized at.</summary>
    public const string AuthLevelClaim = "http://schemas.microsoft.com/2017/07/functions/claims/authlevel";

    /// <summary>The claim naming the key a request was authorized with.</summary>
    public const string KeyIdClaim = "http://schemas.microsoft.com/2017/07/functions/claims/keyid";

    /// <summary>The level of the Durable HTTP API (the extension's system key).</summary>
    public const string SystemLevel = "System";

    private readonly HostKeysOptions _keys = options.Value;

    /// <summary>Whether keys are checked at all.</summary>
    public bool Enabled => _keys.Enabled;

    /// <summary>The system key, when one is set (the built-in management URLs carry it).</summary>
    public string? SystemKey => string.IsNullOrEmpty(_keys.System) ? null : _keys.System;

    /// <summary>
    /// Authorizes <paramref name="context"/> for <paramref name="level"/> (<c>Anonymous</c>, <c>Function</c>,
    /// <c>Admin</c> or <see cref="SystemLevel"/>); on success its user carries the key's identity.
    /// </summary>
    public bool TryAuthorize(HttpContext context, string level)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (string.Equals(level, "Anonymous", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (!_keys.Enabled)
        {
            return true;
        }

        var presented = context.Request.Headers[BulkDurable.Ingestion.Api.ApiRoutes.FunctionKeyHeader].ToString() is { Length: > 0 } header ? header : context.Request.Query["code"].ToString();
        if (presented.Length == 0)
        {
            return false;
        }

        (string Name, string Level)? match = null;
        if (Same(presented, _keys.Master))
        {
            match = ("master", "Admin");
        }
        else if (string.Equals(level, SystemLevel, StringComparison.OrdinalIgnoreCase) && Same(presented, _keys.System))
        {
            match = ("durabletask_extension", SystemLevel);
        }
        else if (string.Equals(level, "Function", StringComparison.OrdinalIgnoreCase))
        {
            foreach (var (name, value) in _keys.Functions)
            {
                if (Same(presented, value))
                {
                    match = (name, "Function");
                    break;
                }
            }
        }

        if (match is not { } key)
        {
            return false;
        }

        context.User.AddIdentity(new ClaimsIdentity([new Claim(AuthLevelClaim, key.Level), new Claim(KeyIdClaim, key.Name)], "WebJobsAuthLevel"));
        return true;
    }

    private static bool Same(string presented, string? key) =>
        !string.IsNullOrEmpty(key) && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(key));
}
