using System.CommandLine;
using System.Text.Json;
using BulkDurable.Cli.Loading;
using BulkDurable.Cli.Output;
using BulkDurable.Cli.Progress;
using BulkDurable.Ingestion.Catalog;
using BulkDurable.Ingestion.Configuration;
using BulkDurable.Ingestion.Diagnostics;
using BulkDurable.Ingestion.Jobs;
using BulkDurable.Ingestion.Payloads;
using BulkDurable.Ingestion.Running;
using BulkDurable.Ingestion.Staging;

namespace BulkDurable.Cli.Commands;

/// <summary><c>bulkdurable load</c>: runs a job in this process with the engine's direct runner.</summary>
internal static class LoadCommand
{
    /// <summary>Largest <c>--chunk-records</c>, as the engine's options allow.</summary>
    public const int MaxChunkRecords = 1_000_000;

    /// <summary>Largest <c>--parallelism</c>, as the engine's options allow.</summary>
    public const int MaxParallelism = 256;

    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var file = new Argument<string>("file") { Description = "The payload file (.ndjson, .jsonl, .json, .csv, optionally .gz), or - for standard input." };
        var dataset = CommonOptions.Dataset();
        var format = CommonOptions.Format("The payload format; by default from the file name. Required with -.");
        var job = new Option<string>("--job")
        {
            Description = "The job id. When the job exists, it is resumed: chunks already loaded are skipped, the payload is not uploaded again.",
        };
        var chunkRecords = new Option<int?>("--chunk-records") { Description = "Records per chunk when planning a new job (default 10000)." };
        var parallelism = new Option<int?>("--parallelism", "-p") { Description = "Chunks loaded at once (default 4)." };
        var json = CommonOptions.Json("Print exactly one JSON object (the summary) on standard output.");

        file.Validators.Add(result =>
        {
            var path = result.GetValueOrDefault<string>();
            if (path != LoadRequest.StandardInput && !File.Exists(path))
            {
                result.AddError($"File not found: '{InputText.Show(path, 256)}'.");
            }
        });
        job.Validators.Add(result =>
        {
            if (!JobIds.IsValid(result.GetValueOrDefault<string>()))
            {
                result.AddError($"--job: job ids are 1-{JobIds.MaxLength} characters: letters, digits, '.', '_' and '-', starting with a letter or digit.");
            }
        });
        chunkRecords.Validators.Add(CommonOptions.Range<int>("--chunk-records", 1, MaxChunkRecords));
        parallelism.Validators.Add(CommonOptions.Range<int>("--parallelism", 1, MaxParallelism));

        var command = new Command("load", "Load a payload into a dataset in this process (no Functions host needed), with a progress bar and a summary.")
        {
            file, dataset, format, job, chunkRecords, parallelism, json,
        };
        command.Validators.Add(result =>
        {
            // Reads the raw tokens: GetValue here would convert the argument before (and instead of)
            // its own validators run, hiding their errors (System.CommandLine 2.0.15).
            var path = result.GetResult(file)?.Tokens is [var token, ..] ? token.Value : null;
            if (path == LoadRequest.StandardInput && result.GetResult(format) is null)
            {
                result.AddError("Reading the payload from standard input (-) needs --format.");
            }
        });

        context.SetAction(command, async (parseResult, cancellationToken) =>
        {
            var request = new LoadRequest(
                parseResult.GetRequiredValue(file),
                parseResult.GetRequiredValue(dataset),
                parseResult.GetValue(format) is { } name ? PayloadFormatNames.Parse(name) : null,
                parseResult.GetValue(job),
                parseResult.GetValue(parallelism));
            var overrides = new Dictionary<string, string?>();
            if (parseResult.GetValue(chunkRecords) is { } records)
            {
                overrides[$"{IngestionOptions.Section}:{nameof(IngestionOptions.ChunkRecords)}"] = records.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            var environment = context.Environment;
            var engine = context.CreateEngine(parseResult, overrides);
            await using (engine.ConfigureAwait(false))
            {
                engine.ValidateSettings();
                var renderer = new ProgressRenderer(environment.Error, environment.ErrorIsTerminal, environment.TimeProvider);
                var loader = new JobLoader(
                    engine.Get<IngestionSteps>(),
                    engine.Get<PayloadStager>(),
                    engine.Get<IngestionBlobStore>(),
                    engine.Get<DirectJobRunner>(),
                    engine.Get<DatasetCatalog>(),
                    environment,
                    renderer);
                var (summary, result) = await loader.LoadAsync(request, cancellationToken).ConfigureAwait(false);

                if (parseResult.GetValue(json))
                {
                    await environment.Out.WriteLineAsync(JsonSerializer.Serialize(summary, CliJsonContext.Default.LoadSummary)).ConfigureAwait(false);
                }
                else
                {
                    LoadSummaryText.Write(environment.Out, summary, result);
                }

                var interrupted = summary.State == JobState.Cancelled && cancellationToken.IsCancellationRequested;
                if (interrupted)
                {
                    await environment.Error.WriteLineAsync(
                        $"Interrupted: job {summary.JobId} is cancelled; its loaded chunks stay loaded. Resume it with:{System.Environment.NewLine}" +
                        $"  {ResumeCommand(request, summary.JobId)}").ConfigureAwait(false);
                }

                return summary.State switch
                {
                    JobState.Completed or JobState.CompletedWithErrors => ExitCodes.Success,
                    _ when interrupted => ExitCodes.Interrupted,
                    _ => ExitCodes.Failed,
                };
            }
        });
        return command;
    }

    private static string ResumeCommand(LoadRequest request, string jobId) =>
        $"{BulkDurableCli.Name} load {Text.ShellArgument(request.Path)} --dataset {Text.ShellArgument(request.Dataset)} --job {jobId}" +
        (request.Format is { } format ? $" --format {format.ToName()}" : "");
}
