namespace BulkDurable.Functions.Orchestration;

/// <summary>
/// A chunk load refused because its run is no longer the job's live run: the job orchestration was
/// terminated, or a redrive replaced it. Not retried; the segment that sees it stops dispatching.
/// </summary>
public sealed class RunEndedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RunEndedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public RunEndedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public RunEndedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
