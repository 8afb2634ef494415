using System.ComponentModel.DataAnnotations;

namespace BulkDurable.Ingestion.Configuration;

/// <summary>How a job's chunks are driven, by Durable Functions or the direct runner (<c>BulkDurable:Orchestration</c>).</summary>
public sealed class OrchestrationOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string Section = "BulkDurable:Orchestration";

    /// <summary>Chunk loads running at once per job.</summary>
    [Range(1, 256)]
    public int MaxChunksInFlight { get; set; } = 4;

    /// <summary>
    /// Chunks per sub-orchestration (Durable only), which keeps each history small: every episode of
    /// a segment loads and replays its history, so its cost per chunk grows with the segment (measured
    /// in docs/benchmarks.md: 100 chunks per segment replay a quarter of what 500 do, at twice the speed).
    /// </summary>
    [Range(1, 10_000)]
    public int ChunksPerSegment { get; set; } = 100;

    /// <summary>
    /// Segments the job orchestration runs before it continues as new (Durable only): its history, and
    /// so the replay of each of its episodes, stays bounded whatever the job's size.
    /// </summary>
    [Range(1, 1_000)]
    public int SegmentsPerGeneration { get; set; } = 10;

    /// <summary>Retries of chunk loads that fail with a retryable error.</summary>
    [Required]
    public RetryOptions Retry { get; set; } = new();

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // Data annotations do not descend into nested objects on their own.
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(Retry, new ValidationContext(Retry), results, validateAllProperties: true);
        return results.Select(r => new ValidationResult($"Retry: {r.ErrorMessage}", r.MemberNames.Select(m => $"{nameof(Retry)}.{m}")));
    }
}

/// <summary>Exponential back-off for retryable failures.</summary>
public sealed class RetryOptions
{
    /// <summary>Attempts in all, the first included.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Delay before the first retry.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan FirstInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Factor by which each delay grows.</summary>
    [Range(1.0, 10.0)]
    public double BackoffCoefficient { get; set; } = 2.0;

    /// <summary>Longest delay between attempts.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan MaxInterval { get; set; } = TimeSpan.FromMinutes(1);
}
