namespace BulkDurable.Ingestion.Loading;

/// <summary>
/// A failure that a later attempt of the same step may not have: drivers retry it with back-off
/// (the Durable retry policy matches on this type). Anything else a step throws is permanent.
/// </summary>
public sealed class RetryableIngestionException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RetryableIngestionException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public RetryableIngestionException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public RetryableIngestionException(string message)
        : base(message)
    {
    }
}
