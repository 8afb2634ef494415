using BulkDurable.Ingestion.Api;

namespace BulkDurable.Cli.Output;

/// <summary>A job's status document, for people.</summary>
internal static class StatusText
{
    /// <summary>Writes the status.</summary>
    public static void Write(TextWriter output, JobStatusDocument status)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(status);
        var progress = status.Progress;
        var chunks = progress.Chunks;
        var records = progress.Records;
        output.WriteLine($"Job        {status.JobId}");
        output.WriteLine($"Dataset    {status.Dataset}");
        output.WriteLine($"State      {status.State}");
        output.WriteLine($"Submitted  {Text.Time(status.SubmittedAt)}");
        output.WriteLine($"Started    {Text.Time(status.StartedAt)}");
        output.WriteLine($"Finished   {Text.Time(status.FinishedAt)}");
        output.WriteLine($"Progress   {Text.Percent(progress.Percent)}, {Text.Count((long)progress.RowsPerSecond)} rows/s" +
            (progress.EtaSeconds is { } eta && status.FinishedAt is null ? $", ETA {Text.Duration(TimeSpan.FromSeconds(eta))}" : ""));
        output.WriteLine($"Chunks     {Text.Count(chunks.Total)}: {Text.Count(chunks.Loaded)} loaded, {Text.Count(chunks.Failed)} failed, {Text.Count(chunks.Pending)} pending");
        output.WriteLine(
            $"Records    {Text.Count(records.Submitted)} submitted: {Text.Count(records.Inserted)} inserted, {Text.Count(records.Updated)} updated, " +
            $"{Text.Count(records.Unchanged)} unchanged, {Text.Count(records.Rejected)} rejected");
        foreach (var error in status.Errors)
        {
            output.WriteLine(error.ChunkIndex is { } chunk ? $"Error      chunk {chunk}: {error.Message}" : $"Error      {error.Message}");
        }

        foreach (var problem in status.Problems)
        {
            output.WriteLine($"Problem    line {problem.Line}: {problem.Message}");
        }

        if (status.HasFailedRecords)
        {
            output.WriteLine($"Rejected   {BulkDurableCli.Name} failed-records {status.JobId}{(status.FailedRecordsTruncated ? " (the first ones only: the file reached its limits)" : "")}");
        }

        if (status.Links?.GetValueOrDefault(ApiRoutes.SelfRelation) is { } self)
        {
            output.WriteLine($"Status URL {self}");
        }
    }
}
