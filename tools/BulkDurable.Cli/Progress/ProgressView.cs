using BulkDurable.Ingestion.Api;

namespace BulkDurable.Cli.Progress;

/// <summary>The numbers a progress bar shows, whether they come from a local run or from the API.</summary>
/// <param name="Percent">Share of records processed (loaded or rejected).</param>
/// <param name="Processed">Records processed.</param>
/// <param name="Submitted">Records in the payload (0 until planned).</param>
/// <param name="Rejected">Records rejected.</param>
/// <param name="ChunksDone">Chunks loaded or failed.</param>
/// <param name="ChunkCount">Chunks in the plan (0 until planned).</param>
/// <param name="RowsPerSecond">Current rate.</param>
/// <param name="Eta">Estimated time left, when a rate is known.</param>
internal sealed record ProgressView(double Percent, long Processed, long Submitted, long Rejected, int ChunksDone, int ChunkCount, double RowsPerSecond, TimeSpan? Eta)
{
    /// <summary>
    /// Whether the plan's totals are known. While a payload is being planned its first chunks may
    /// already load (the direct runner hands them over as they are cut): then only counts so far mean anything.
    /// </summary>
    public bool TotalsKnown => ChunkCount > 0 || Submitted > 0;

    /// <summary>The view of a status document's progress.</summary>
    public static ProgressView From(ProgressDocument progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var records = progress.Records;
        return new ProgressView(
            progress.Percent,
            records.Inserted + records.Updated + records.Unchanged + records.Rejected,
            records.Submitted,
            records.Rejected,
            progress.Chunks.Loaded + progress.Chunks.Failed,
            progress.Chunks.Total,
            progress.RowsPerSecond,
            progress.EtaSeconds is { } eta ? TimeSpan.FromSeconds(eta) : null);
    }
}
