namespace BulkDurable.Functions;

/// <summary>
/// Names of the app's functions. Orchestrations, activities and entities are addressed by these
/// names (an entity's name is its function name), so they are part of the stored task hub state:
/// renaming one strands running instances.
/// </summary>
public static class FunctionNames
{
    /// <summary>HTTP: submit a job.</summary>
    public const string SubmitJob = "SubmitJob";

    /// <summary>HTTP: get an upload URL.</summary>
    public const string CreateUpload = "CreateUpload";

    /// <summary>HTTP: a job's status.</summary>
    public const string GetJobStatus = "GetJobStatus";

    /// <summary>HTTP: a job's failed records.</summary>
    public const string GetFailedRecords = "GetFailedRecords";

    /// <summary>HTTP: cancel a job.</summary>
    public const string CancelJob = "CancelJob";

    /// <summary>HTTP: suspend a job.</summary>
    public const string SuspendJob = "SuspendJob";

    /// <summary>HTTP: resume a job.</summary>
    public const string ResumeJob = "ResumeJob";

    /// <summary>HTTP: redrive a job.</summary>
    public const string RedriveJob = "RedriveJob";

    /// <summary>Timer: purge finished jobs' Durable history and idle entities past the retention window.</summary>
    public const string PurgeJobHistory = "PurgeJobHistory";

    /// <summary>Orchestration: one job (instance id = job id).</summary>
    public const string IngestJob = "IngestJob";

    /// <summary>Sub-orchestration: one segment of a job's chunks.</summary>
    public const string LoadSegment = "LoadSegment";

    /// <summary>Activity: plan a job.</summary>
    public const string PlanJob = "PlanJob";

    /// <summary>Activity: the chunks of a segment not in the ledger yet.</summary>
    public const string GetPendingChunks = "GetPendingChunks";

    /// <summary>Activity: load one chunk.</summary>
    public const string LoadChunk = "LoadChunk";

    /// <summary>Activity: finalize a job.</summary>
    public const string FinalizeJob = "FinalizeJob";

    /// <summary>Entity: one client idempotency key (per dataset).</summary>
    public const string IdempotencyKeyEntity = "IdempotencyKey";

    /// <summary>Entity: one job's progress.</summary>
    public const string JobProgressEntity = "JobProgress";

    /// <summary>Entity: one caller's recent submissions (the per-caller rate limit).</summary>
    public const string SubmissionRateEntity = "SubmissionRate";
}
