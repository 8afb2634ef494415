namespace BulkDurable.Functions.Http;

/// <summary>What a client can ask of a job (<c>POST /api/jobs/{jobId}/{command}</c>).</summary>
public enum JobCommand
{
    /// <summary>Stop scheduling chunks, let those in flight finish, finalize as cancelled.</summary>
    Cancel,

    /// <summary>Pause the job where it is.</summary>
    Suspend,

    /// <summary>Continue a suspended job.</summary>
    Resume,

    /// <summary>Run a finished job again for the chunks that are not loaded (failed or never run).</summary>
    Redrive,
}
