using BulkDurable.Cli.Output;
using BulkDurable.Ingestion.Jobs;

namespace BulkDurable.Cli.Loading;

/// <summary>The human summary of a load run.</summary>
internal static class LoadSummaryText
{
    /// <summary>Writes the summary, then the job's errors and problems, if any.</summary>
    public static void Write(TextWriter output, LoadSummary summary, JobResult result)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(result);
        output.WriteLine($"Job {summary.JobId}: {summary.State} in {Text.Seconds(summary.Seconds)} ({Text.Rate(summary.RowsPerSecond)} rows/s)");
        output.WriteLine(
            $"  {Text.Count(summary.Submitted)} submitted: {Text.Count(summary.Inserted)} inserted, {Text.Count(summary.Updated)} updated, " +
            $"{Text.Count(summary.Unchanged)} unchanged, {Text.Count(summary.Rejected)} rejected" +
            (summary.NotLoaded > 0 ? $", {Text.Count(summary.NotLoaded)} not loaded" : ""));
        var loadedNow = summary.Chunks - summary.ChunksNotLoaded - summary.ChunksSkipped;
        output.WriteLine(
            $"  {Text.Count(summary.Chunks, "chunk")} into {summary.Dataset}: {Text.Count(loadedNow)} loaded by this run, " +
            $"{Text.Count(summary.ChunksSkipped)} skipped (already in the ledger)" +
            (summary.ChunksNotLoaded > 0 ? $", {Text.Count(summary.ChunksNotLoaded)} not loaded" : ""));
        if (result.Error is { } error)
        {
            output.WriteLine($"  error: {error}");
        }

        foreach (var failure in result.FailedChunks)
        {
            output.WriteLine($"  chunk {failure.ChunkIndex} failed: {failure.Error}");
        }

        foreach (var problem in result.Problems)
        {
            output.WriteLine($"  payload problem at line {problem.Line}: {problem.Message}");
        }

        if (summary.HasFailedRecords)
        {
            output.WriteLine($"  rejected records: {BulkDurableCli.Name} failed-records {summary.JobId}{(summary.FailedRecordsTruncated ? " (the first ones only: the file reached its limits)" : "")}");
        }
    }
}
