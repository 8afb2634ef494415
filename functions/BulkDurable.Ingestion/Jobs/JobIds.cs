using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace BulkDurable.Ingestion.Jobs;

/// <summary>
/// Job ids: they name blobs and Durable instances, so they are restricted to URL- and path-safe
/// characters.
/// </summary>
public static partial class JobIds
{
    /// <summary>Longest job id.</summary>
    public const int MaxLength = 100;

    /// <summary>A new, time-ordered job id.</summary>
    public static string New() => Guid.CreateVersion7().ToString("N");

    /// <summary>
    /// The job id an idempotency key maps to: the same (dataset, key, generation) always gives the
    /// same id, so concurrent submissions with one key race for one Durable instance id. The
    /// generation changes when a key's window expires.
    /// </summary>
    public static string ForIdempotencyKey(string dataset, string key, int generation)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataset);
        ArgumentException.ThrowIfNullOrEmpty(key);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{dataset}\n{key}\n{generation}"));
        return "k" + Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }

    /// <summary>Whether <paramref name="jobId"/> is a well-formed job id.</summary>
    public static bool IsValid(string? jobId) => jobId is { Length: > 0 and <= MaxLength } && Pattern().IsMatch(jobId);

    /// <summary>Throws when <paramref name="jobId"/> is not a well-formed job id.</summary>
    public static string Validate(string? jobId, string? paramName = null) =>
        IsValid(jobId)
            ? jobId!
            : throw new ArgumentException(
                $"Job ids are 1-{MaxLength} characters: letters, digits, '.', '_' and '-', starting with a letter or digit.",
                paramName ?? nameof(jobId));

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
