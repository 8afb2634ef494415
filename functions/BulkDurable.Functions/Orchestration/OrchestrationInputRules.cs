using System.ComponentModel.DataAnnotations;
using BulkDurable.Ingestion.Configuration;
using BulkDurable.Ingestion.Jobs;

namespace BulkDurable.Functions.Orchestration;

/// <summary>
/// Checks an orchestration's input as untrusted before the orchestration does anything: only our
/// starter and our orchestrations should write it, but whoever holds the task hub's system key can
/// start an instance with any input. The instance id must be the one the input names (a job's is its
/// job id; a segment's is derived from its job, index and run), and the settings must lie within the
/// ranges the options allow. The job itself is checked against the accepted <c>job.json</c> by the
/// <c>PlanJob</c> activity (<see cref="PlanSummary.InputRejected"/>). Pure and deterministic: it runs
/// in orchestrator code.
/// </summary>
public static class OrchestrationInputRules
{
    /// <summary>Why an <c>IngestJob</c> input cannot be trusted, or <see langword="null"/> when it can.</summary>
    public static string? Check(string instanceId, IngestJobInput? input)
    {
        if (input?.Job is not { } job || input.Settings is null)
        {
            return "the input is not an IngestJobInput";
        }

        if (!JobIds.IsValid(job.JobId) || !string.Equals(instanceId, job.JobId, StringComparison.Ordinal))
        {
            return "the instance id is not the job id of the input";
        }

        if (input.Run < 0 || input.Carried is { NextSegment: < 0 })
        {
            return "the run or the carried segment is negative";
        }

        return CheckSettings(input.Settings);
    }

    /// <summary>Why a <c>LoadSegment</c> input cannot be trusted, or <see langword="null"/> when it can.</summary>
    public static string? Check(string instanceId, SegmentInput? input)
    {
        if (input?.Segment is not { } segment || input.Plan is null || input.Settings is null)
        {
            return "the input is not a SegmentInput";
        }

        if (!JobIds.IsValid(input.JobId) || input.Run < 0 || segment.Index < 0
            || !string.Equals(instanceId, IngestJobOrchestrator.SegmentInstanceId(input.JobId, segment.Index, input.Run), StringComparison.Ordinal))
        {
            return "the instance id is not the segment instance id of the input's job, segment and run";
        }

        if (segment.FirstChunk < 0 || segment.ChunkCount < 0 || segment.FirstChunk + (long)segment.ChunkCount > input.Plan.ChunkCount)
        {
            return "the segment lies outside the job's plan";
        }

        return CheckSettings(input.Settings);
    }

    /// <summary>The settings against the ranges of the options they were captured from.</summary>
    private static string? CheckSettings(OrchestrationSettings settings)
    {
        var retry = settings.Retry;
        if (retry is null)
        {
            return "the settings have no retry policy";
        }

        var orchestration = new OrchestrationOptions
        {
            MaxChunksInFlight = settings.MaxChunksInFlight,
            ChunksPerSegment = settings.ChunksPerSegment,
            SegmentsPerGeneration = settings.SegmentsPerGeneration,
            Retry = new RetryOptions { MaxAttempts = retry.MaxAttempts, FirstInterval = retry.FirstInterval, BackoffCoefficient = retry.BackoffCoefficient, MaxInterval = retry.MaxInterval },
        };
        var ingestion = new IngestionOptions
        {
            ToleratedFailedChunkRatio = settings.ToleratedFailedChunkRatio,
            ToleratedRejectedRecordRatio = settings.ToleratedRejectedRecordRatio,
            MaxRejectedRecords = settings.MaxRejectedRecords,
            IdempotencyWindow = settings.IdempotencyWindow,
        };
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(orchestration, new ValidationContext(orchestration), results, validateAllProperties: true);
        results.AddRange(orchestration.Validate(new ValidationContext(orchestration)));
        Validator.TryValidateObject(ingestion, new ValidationContext(ingestion), results, validateAllProperties: true);
        return results.Count == 0 ? null : "the settings are out of range: " + string.Join("; ", results.Select(r => r.ErrorMessage));
    }
}
