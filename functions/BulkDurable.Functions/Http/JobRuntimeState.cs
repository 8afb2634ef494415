namespace BulkDurable.Functions.Http;

/// <summary>
/// What the host running a job reports about it, beyond what storage knows (for the Functions app:
/// the Durable orchestration's runtime status).
/// </summary>
public enum JobRuntimeState
{
    /// <summary>The host knows nothing of the job (never scheduled, or purged).</summary>
    Unknown,

    /// <summary>Scheduled, not started yet.</summary>
    Pending,

    /// <summary>Running.</summary>
    Running,

    /// <summary>Suspended by a client; resumes where it stopped.</summary>
    Suspended,

    /// <summary>The host's run ended normally.</summary>
    Completed,

    /// <summary>The host's run ended with an unhandled error.</summary>
    Failed,

    /// <summary>The host's run was terminated by an operator.</summary>
    Terminated,
}
