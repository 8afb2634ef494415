using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace BulkDurable.Ingestion.Api;

/// <summary>The <c>Idempotency-Key</c> request header and how a key names its Durable entity.</summary>
public static class IdempotencyKeys
{
    /// <summary>The request header carrying a client's key.</summary>
    public const string HeaderName = "Idempotency-Key";

    /// <summary>The response header set (to <c>true</c>) when a submission returns an existing job.</summary>
    public const string ReplayedHeaderName = "Idempotent-Replayed";

    /// <summary>Longest key accepted.</summary>
    public const int MaxLength = 255;

    /// <summary>
    /// Reads the header: absent is fine (<paramref name="key"/> is null); present, it must be one value
    /// of 1-255 printable ASCII characters.
    /// </summary>
    /// <param name="values">The header's values (none when absent).</param>
    /// <param name="key">The key, or null when the header is absent.</param>
    /// <param name="problem">A 400 problem when the header is malformed.</param>
    public static bool TryParse(IReadOnlyList<string?>? values, out string? key, [NotNullWhen(false)] out ApiProblem? problem)
    {
        key = null;
        problem = null;
        if (values is null || values.Count == 0)
        {
            return true;
        }

        var value = values.Count == 1 ? values[0]?.Trim() : null;
        if (string.IsNullOrEmpty(value) || value.Length > MaxLength || !value.All(c => c is >= ' ' and <= '~'))
        {
            problem = ApiProblem.Malformed($"{HeaderName} must be a single value of 1-{MaxLength} printable ASCII characters.");
            return false;
        }

        key = value;
        return true;
    }

    /// <summary>
    /// A client's key within its caller's scope: two callers using the same key never share a job. The
    /// anonymous caller's keys (and those of jobs that record no caller) are the keys themselves.
    /// </summary>
    /// <param name="caller">The caller's id (<c>null</c> or <c>anonymous</c> for none).</param>
    /// <param name="key">The client's key.</param>
    public static string Scope(string? caller, string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return caller is null or "anonymous" ? key : caller + "\u001f" + key;
    }

    /// <summary>
    /// The key of the <c>IdempotencyKey</c> entity of (<paramref name="dataset"/>, <paramref name="key"/>):
    /// the dataset, then a hash of the key, because entity keys become storage keys, which may not hold
    /// characters such as '/', '\', '#' or '?'. Keys are scoped to their dataset.
    /// </summary>
    public static string EntityKey(string dataset, string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataset);
        ArgumentException.ThrowIfNullOrEmpty(key);
        return dataset + ":" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
    }
}
