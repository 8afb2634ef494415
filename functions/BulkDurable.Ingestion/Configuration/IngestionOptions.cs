using System.ComponentModel.DataAnnotations;

namespace BulkDurable.Ingestion.Configuration;

/// <summary>How payloads are split and judged (<c>BulkDurable:Ingestion</c>).</summary>
public sealed class IngestionOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "BulkDurable:Ingestion";

    /// <summary>Target records per chunk.</summary>
    [Range(1, 1_000_000)]
    public int ChunkRecords { get; set; } = 10_000;

    /// <summary>A chunk is closed early once it holds this many payload bytes.</summary>
    [Range(64 * 1024, 256 * 1024 * 1024)]
    public int ChunkBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>Largest accepted payload, after decompression.</summary>
    [Range(1L, long.MaxValue)]
    public long MaxPayloadBytes { get; set; } = 10L * 1024 * 1024 * 1024;

    /// <summary>A gzip payload expanding more than this many times its compressed size is rejected.</summary>
    [Range(1, 100_000)]
    public int MaxGzipExpansionRatio { get; set; } = 200;

    /// <summary>Share of chunks that may fail permanently in a job that still ends <c>CompletedWithErrors</c>.</summary>
    [Range(0.0, 1.0)]
    public double ToleratedFailedChunkRatio { get; set; }

    /// <summary>Share of records that may be rejected in a job that still ends <c>CompletedWithErrors</c>.</summary>
    [Range(0.0, 1.0)]
    public double ToleratedRejectedRecordRatio { get; set; } = 1.0;

    /// <summary>
    /// Most records a job may reject: one more fails the job, and it stops scheduling chunks (those
    /// in flight finish). Bounds what one request can make the service store, whatever the ratio.
    /// </summary>
    [Range(0L, long.MaxValue)]
    public long MaxRejectedRecords { get; set; } = 100_000;

    /// <summary>
    /// Size at which the failed-records file stops taking records (it also stops after
    /// <see cref="MaxRejectedRecords"/> records); a last line marks it truncated.
    /// </summary>
    [Range(64L * 1024, long.MaxValue)]
    public long MaxFailedRecordsBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>How long an idempotency key keeps mapping to its job.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan IdempotencyWindow { get; set; } = TimeSpan.FromHours(24);
}
