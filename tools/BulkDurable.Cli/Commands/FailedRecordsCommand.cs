using System.CommandLine;
using BulkDurable.Ingestion.Results;
using BulkDurable.Ingestion.Running;

namespace BulkDurable.Cli.Commands;

/// <summary>
/// <c>bulkdurable failed-records JOB</c>: streams the job's failed-records file (NDJSON: record number,
/// line, field, error, record) to standard output.
/// </summary>
internal static class FailedRecordsCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var job = JobArgument.Create();
        var command = new Command("failed-records", "Write a job's rejected records (NDJSON, in record order) to standard output.") { job };
        context.SetAction(command, async (parseResult, cancellationToken) =>
        {
            var engine = context.CreateEngine(parseResult);
            await using (engine.ConfigureAwait(false))
            {
                engine.ValidateSettings();
                var jobId = parseResult.GetRequiredValue(job);
                var records = await engine.Get<JobStatusReader>().OpenFailedRecordsAsync(jobId, cancellationToken).ConfigureAwait(false);
                if (records is null)
                {
                    _ = await engine.Get<IngestionSteps>().ReadJobAsync(jobId, cancellationToken).ConfigureAwait(false) ?? throw JobArgument.Unknown(jobId);
                    await context.Environment.Error.WriteLineAsync($"Job {jobId} has no failed records (none were rejected, or the job is not finished).").ConfigureAwait(false);
                    return ExitCodes.Success;
                }

                await using (records.ConfigureAwait(false))
                {
                    var output = context.Environment.StandardOutput;
                    await context.Environment.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
                    await records.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
                    await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                }

                return ExitCodes.Success;
            }
        });
        return command;
    }
}
