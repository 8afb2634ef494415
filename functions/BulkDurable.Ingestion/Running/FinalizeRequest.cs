using BulkDurable.Ingestion.Jobs;

namespace BulkDurable.Ingestion.Running;

/// <summary>What a driver tells the finalize step.</summary>
/// <param name="JobId">The job.</param>
/// <param name="Cancelled">Whether the job was cancelled before every chunk ran.</param>
/// <param name="Error">Why the job could not run at all (e.g. the payload was rejected), if so.</param>
/// <param name="Failures">Chunks that failed permanently, with their errors (a sample is enough).</param>
public sealed record FinalizeRequest(string JobId, bool Cancelled = false, string? Error = null, IReadOnlyList<FailedChunk>? Failures = null);
