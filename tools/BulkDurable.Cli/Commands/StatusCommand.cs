using System.CommandLine;
using System.Text.Json;
using BulkDurable.Cli.Output;
using BulkDurable.Ingestion.Api;
using BulkDurable.Ingestion.Results;

namespace BulkDurable.Cli.Commands;

/// <summary>
/// <c>bulkdurable status JOB</c>: a job's status from storage (job, manifest, ledger, result), the same
/// document the HTTP API returns. Exit code 0 whatever the job's state, 1 for an unknown job.
/// </summary>
internal static class StatusCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var job = JobArgument.Create();
        var json = CommonOptions.Json("Print the status document (as GET /api/jobs/{jobId} returns it) as JSON.");
        var command = new Command("status", "Show a job's state, progress and errors.") { job, json };
        context.SetAction(command, async (parseResult, cancellationToken) =>
        {
            var engine = context.CreateEngine(parseResult);
            await using (engine.ConfigureAwait(false))
            {
                engine.ValidateSettings();
                var jobId = parseResult.GetRequiredValue(job);
                var status = await engine.Get<JobStatusReader>().ReadAsync(jobId, cancellationToken).ConfigureAwait(false)
                    ?? throw JobArgument.Unknown(jobId);
                var document = JobStatusDocument.From(status);
                if (parseResult.GetValue(json))
                {
                    await context.Environment.Out.WriteLineAsync(JsonSerializer.Serialize(document, CliJsonContext.Default.JobStatusDocument)).ConfigureAwait(false);
                }
                else
                {
                    StatusText.Write(context.Environment.Out, document);
                }

                return ExitCodes.Success;
            }
        });
        return command;
    }
}
