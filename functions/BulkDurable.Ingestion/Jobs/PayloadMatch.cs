namespace BulkDurable.Ingestion.Jobs;

/// <summary>
/// The one rule for "is this the same payload?", which decides between a replay and a conflict
/// wherever a job id or an idempotency key is met again: the same SHA-256 of the payload as
/// submitted (hex, either case), compression included, and, for a job, the same dataset.
/// </summary>
public static class PayloadMatch
{
    /// <summary>Whether two payload hashes name the same payload (false when either is missing).</summary>
    public static bool IsSame(string? payloadSha256, string? other) =>
        payloadSha256 is { Length: > 0 } && string.Equals(payloadSha256, other, StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether <paramref name="existing"/> is a job of <paramref name="payloadSha256"/> into <paramref name="dataset"/>.</summary>
    public static bool IsSame(JobDescriptor existing, string dataset, string payloadSha256)
    {
        ArgumentNullException.ThrowIfNull(existing);
        return string.Equals(existing.Dataset, dataset, StringComparison.Ordinal) && IsSame(existing.PayloadSha256, payloadSha256);
    }
}
