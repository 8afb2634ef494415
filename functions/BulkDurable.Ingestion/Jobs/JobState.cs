namespace BulkDurable.Ingestion.Jobs;

/// <summary>The life cycle of a job.</summary>
public enum JobState
{
    /// <summary>Accepted and stored; loading has not started.</summary>
    Accepted,

    /// <summary>Chunks are being loaded.</summary>
    Running,

    /// <summary>Every record was loaded (inserted, updated or unchanged).</summary>
    Completed,

    /// <summary>Finished, with rejected records or failed chunks within the tolerated thresholds.</summary>
    CompletedWithErrors,

    /// <summary>Finished beyond the tolerated thresholds, or the payload could not be read at all.</summary>
    Failed,

    /// <summary>Stopped on request; chunks already loaded stay loaded.</summary>
    Cancelled,
}

/// <summary>Helpers for <see cref="JobState"/>.</summary>
public static class JobStates
{
    /// <summary>Whether no more work will happen on its own (a redrive may still resume a job).</summary>
    public static bool IsTerminal(this JobState state) => state is JobState.Completed or JobState.CompletedWithErrors or JobState.Failed or JobState.Cancelled;
}
