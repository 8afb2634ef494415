using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BulkDurable.Ingestion.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace BulkDurable.Functions.Security;

/// <summary>
/// Tells who made a request (<see cref="CallerOptions"/>). The isolated worker does not learn the name
/// of the function key the host checked, only the key itself, so a key caller is identified by a hash of
/// its key: distinct keys are distinct callers, and the key never leaves the request.
/// </summary>
public sealed class CallerResolver(IOptions<CallerOptions> options)
{
    private const string PrincipalHeader = "x-ms-client-principal";
    private const string ObjectIdClaim = "http://schemas.microsoft.com/identity/claims/objectidentifier";
    private const int MaxHeaderCallerLength = 64;

    /// <summary>The caller of <paramref name="request"/>.</summary>
    public Caller Resolve(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var settings = options.Value;
        if (settings.TrustAppServiceAuthentication && Principal(request.Headers[PrincipalHeader].ToString(), settings.OperatorRole) is { } principal)
        {
            return principal;
        }

        var key = request.Headers[ApiRoutes.FunctionKeyHeader].ToString() is { Length: > 0 } header ? header : request.Query["code"].ToString();
        if (key.Length > 0)
        {
            return new Caller("key:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)).AsSpan(0, 12)), IsOperator: false);
        }

        if (settings.TrustCallerHeader && request.Headers[CallerOptions.CallerHeader].ToString() is { Length: > 0 and <= MaxHeaderCallerLength } name && name.All(c => c is > ' ' and <= '~'))
        {
            return new Caller("header:" + name, IsOperator: false);
        }

        return Caller.Anonymous;
    }

    /// <summary>The principal App Service authentication put in <c>x-ms-client-principal</c> (base64 JSON with the token's claims).</summary>
    private static Caller? Principal(string encoded, string operatorRole)
    {
        if (encoded.Length == 0)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(Convert.FromBase64String(encoded));
            var root = document.RootElement;
            var roleType = root.TryGetProperty("role_typ", out var r) ? r.GetString() : "roles";
            string? objectId = null;
            var isOperator = false;
            foreach (var claim in root.GetProperty("claims").EnumerateArray())
            {
                var type = claim.GetProperty("typ").GetString();
                var value = claim.GetProperty("val").GetString();
                if (type is ObjectIdClaim or "oid")
                {
                    objectId = value;
                }
                else if ((type == roleType || type == "roles") && string.Equals(value, operatorRole, StringComparison.Ordinal))
                {
                    isOperator = true;
                }
            }

            return objectId is null ? null : new Caller("entra:" + objectId, isOperator);
        }
        catch (Exception ex) when (ex is FormatException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }
}
