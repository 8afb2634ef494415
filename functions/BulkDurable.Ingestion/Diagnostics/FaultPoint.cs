namespace BulkDurable.Ingestion.Diagnostics;

/// <summary>
/// Named moments in a job's life. Fault-tolerance tests crash or stall a process exactly there
/// (through <see cref="IFaultInjector"/>) to prove that resuming never loses or duplicates a row.
/// </summary>
public enum FaultPoint
{
    /// <summary>The payload is in Blob Storage; no job refers to it yet.</summary>
    PayloadStaged,

    /// <summary><c>job.json</c> is written; nothing is planned.</summary>
    JobAccepted,

    /// <summary>A chunk descriptor was written to the chunk index; the plan is incomplete.</summary>
    ChunkPlanned,

    /// <summary>The manifest is written; no chunk is loaded.</summary>
    JobPlanned,

    /// <summary>A chunk's rows and ledger row are written in its transaction, which is not committed.</summary>
    ChunkWritten,

    /// <summary>A chunk's transaction is committed.</summary>
    ChunkCommitted,

    /// <summary>The failed-records file is merged; <c>result.json</c> is not written.</summary>
    FailedRecordsMerged,

    /// <summary><c>result.json</c> is written.</summary>
    JobFinalized,
}
