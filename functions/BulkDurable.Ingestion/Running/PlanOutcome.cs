using BulkDurable.Ingestion.Planning;

namespace BulkDurable.Ingestion.Running;

/// <summary>
/// The result of <see cref="IngestionSteps.TryPlanAsync(Jobs.JobDescriptor, CancellationToken)"/>: a plan, or why the job cannot run at
/// all (the payload is rejected, the dataset is unknown or does not match its table). Such a job is
/// finalized as failed; retrying cannot help.
/// </summary>
/// <param name="Manifest">The plan, when there is one.</param>
/// <param name="Error">Why there is none.</param>
public sealed record PlanOutcome(JobManifest? Manifest, string? Error);
