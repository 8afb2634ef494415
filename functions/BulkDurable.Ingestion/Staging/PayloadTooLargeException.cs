namespace BulkDurable.Ingestion.Staging;

/// <summary>A payload exceeded the configured size limit (HTTP 413).</summary>
public sealed class PayloadTooLargeException : Exception
{
    /// <summary>Creates the exception for a limit in bytes.</summary>
    public PayloadTooLargeException(long limitBytes, string what = "payload")
        : base($"The {what} exceeds the limit of {limitBytes:N0} bytes.") => LimitBytes = limitBytes;

    /// <summary>The limit that was exceeded.</summary>
    public long LimitBytes { get; }
}
