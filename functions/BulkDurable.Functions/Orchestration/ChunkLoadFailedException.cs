using BulkDurable.Ingestion.Loading;

namespace BulkDurable.Functions.Orchestration;

/// <summary>
/// A chunk load failed permanently. Its message is the failure's <see cref="FailureReport"/> (a code
/// and a safe message), which is what reaches the job's result and its status document; the
/// exception's own text is logged with the job id.
/// </summary>
public sealed class ChunkLoadFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ChunkLoadFailedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ChunkLoadFailedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause (the cause stays out of the result).</summary>
    public ChunkLoadFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
