using System.CommandLine;
using BulkDurable.Ingestion.Diagnostics;
using BulkDurable.Ingestion.Jobs;

namespace BulkDurable.Cli.Commands;

/// <summary>The <c>JOB</c> argument of the commands that read a job.</summary>
internal static class JobArgument
{
    /// <summary>A job id argument, validated (a malformed id is a usage error).</summary>
    public static Argument<string> Create()
    {
        var argument = new Argument<string>("job") { Description = "The job id." };
        argument.Validators.Add(result =>
        {
            if (!JobIds.IsValid(result.GetValueOrDefault<string>()))
            {
                result.AddError($"'{InputText.Show(result.GetValueOrDefault<string>())}' is not a job id: 1-{JobIds.MaxLength} letters, digits, '.', '_' or '-', starting with a letter or digit.");
            }
        });
        return argument;
    }

    /// <summary>The error for a well-formed id that names no job (exit code 1).</summary>
    public static CliException Unknown(string jobId) =>
        CliException.Failure($"unknown job '{jobId}': there is no jobs/{jobId}/job.json in the configured container.");
}
