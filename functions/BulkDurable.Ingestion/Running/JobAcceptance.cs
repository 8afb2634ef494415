using BulkDurable.Ingestion.Jobs;

namespace BulkDurable.Ingestion.Running;

/// <summary>The result of <see cref="IngestionSteps.AcceptAsync"/>: the job as stored, and whether this call recorded it.</summary>
/// <param name="Job">The stored descriptor (<c>job.json</c>), chunking settings filled in.</param>
/// <param name="IsNew">
/// Whether this call recorded the job; false when a job with its id existed (a resumed job, or a
/// concurrent submission with the same idempotency key that recorded it first).
/// </param>
public sealed record JobAcceptance(JobDescriptor Job, bool IsNew);
