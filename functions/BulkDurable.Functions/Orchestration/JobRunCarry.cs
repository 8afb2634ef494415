using BulkDurable.Ingestion.Jobs;

namespace BulkDurable.Functions.Orchestration;

/// <summary>
/// What a run of <c>IngestJob</c> carries into its next generation when it continues as new (every
/// <see cref="OrchestrationSettings.SegmentsPerGeneration"/> segments), so that its history stays
/// a few dozen events however many segments the job has.
/// </summary>
/// <param name="Plan">The plan summary (the job is not planned again).</param>
/// <param name="NextSegment">The index of the first segment the next generation runs.</param>
/// <param name="Tally">What the run has done so far.</param>
/// <param name="Failures">The failed chunks so far, at most <see cref="JobProgress.MaxErrors"/>.</param>
public sealed record JobRunCarry(PlanSummary Plan, int NextSegment, RunTally Tally, IReadOnlyList<FailedChunk> Failures);
