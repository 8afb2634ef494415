using BulkDurable.Ingestion.Configuration;

namespace BulkDurable.Functions.Orchestration;

/// <summary>
/// The options an orchestration runs with, captured when the job is scheduled and carried in its
/// input: orchestrator code must not read configuration (a replay would see today's values), so a
/// configuration change applies to jobs scheduled after it.
/// </summary>
/// <param name="MaxChunksInFlight">Most chunk loads running at once for the job (<c>BulkDurable:Orchestration:MaxChunksInFlight</c>).</param>
/// <param name="ChunksPerSegment">Chunks per sub-orchestration (<c>BulkDurable:Orchestration:ChunksPerSegment</c>).</param>
/// <param name="Retry">Back-off for retryable failures (<c>BulkDurable:Orchestration:Retry</c>).</param>
/// <param name="ToleratedFailedChunkRatio">Share of chunks that may fail (<c>BulkDurable:Ingestion:ToleratedFailedChunkRatio</c>).</param>
/// <param name="ToleratedRejectedRecordRatio">Share of records that may be rejected (<c>BulkDurable:Ingestion:ToleratedRejectedRecordRatio</c>).</param>
/// <param name="IdempotencyWindow">How long an idempotency key maps to its job (<c>BulkDurable:Ingestion:IdempotencyWindow</c>).</param>
/// <param name="MaxRejectedRecords">Most records a job may reject (<c>BulkDurable:Ingestion:MaxRejectedRecords</c>); jobs scheduled before the limit existed have none.</param>
/// <param name="SegmentsPerGeneration">Segments the job orchestration runs before it continues as new (<c>BulkDurable:Orchestration:SegmentsPerGeneration</c>).</param>
public sealed record OrchestrationSettings(
    int MaxChunksInFlight,
    int ChunksPerSegment,
    RetrySettings Retry,
    double ToleratedFailedChunkRatio,
    double ToleratedRejectedRecordRatio,
    TimeSpan IdempotencyWindow,
    int SegmentsPerGeneration = 10,
    long MaxRejectedRecords = long.MaxValue)
{
    /// <summary>Captures the validated options.</summary>
    public static OrchestrationSettings From(OrchestrationOptions orchestration, IngestionOptions ingestion)
    {
        ArgumentNullException.ThrowIfNull(orchestration);
        ArgumentNullException.ThrowIfNull(ingestion);
        return new OrchestrationSettings(
            orchestration.MaxChunksInFlight,
            orchestration.ChunksPerSegment,
            new RetrySettings(orchestration.Retry.MaxAttempts, orchestration.Retry.FirstInterval, orchestration.Retry.BackoffCoefficient, orchestration.Retry.MaxInterval),
            ingestion.ToleratedFailedChunkRatio,
            ingestion.ToleratedRejectedRecordRatio,
            ingestion.IdempotencyWindow,
            orchestration.SegmentsPerGeneration,
            ingestion.MaxRejectedRecords);
    }

    /// <summary>The thresholds as the engine's <see cref="IngestionOptions"/>, for <c>JobOutcomePolicy</c>.</summary>
    public IngestionOptions Thresholds() => new()
    {
        ToleratedFailedChunkRatio = ToleratedFailedChunkRatio,
        ToleratedRejectedRecordRatio = ToleratedRejectedRecordRatio,
        MaxRejectedRecords = MaxRejectedRecords,
    };
}

/// <summary>Exponential back-off of retryable failures.</summary>
/// <param name="MaxAttempts">Attempts in all, the first included.</param>
/// <param name="FirstInterval">Delay before the first retry.</param>
/// <param name="BackoffCoefficient">Growth of the delay.</param>
/// <param name="MaxInterval">Longest delay.</param>
public sealed record RetrySettings(int MaxAttempts, TimeSpan FirstInterval, double BackoffCoefficient, TimeSpan MaxInterval);
