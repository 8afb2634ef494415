using System.CommandLine;
using System.Text.Json;
using BulkDurable.Cli.Api;
using BulkDurable.Cli.Output;
using BulkDurable.Cli.Progress;
using BulkDurable.Ingestion.Api;
using BulkDurable.Ingestion.Diagnostics;
using BulkDurable.Ingestion.Payloads;

namespace BulkDurable.Cli.Commands;

/// <summary>
/// <c>bulkdurable submit</c>: a client of the deployed HTTP API. Small payloads go as the request
/// body, larger ones through an upload URL; <c>--watch</c> polls the job to its end.
/// </summary>
internal static class SubmitCommand
{
    /// <summary>The environment variable holding the function key when <c>--function-key</c> is not given.</summary>
    public const string FunctionKeyVariable = "BULKDURABLE_FUNCTION_KEY";

    /// <summary>The default of <c>--max-body-bytes</c>, the API's default request body limit.</summary>
    public const long DefaultMaxBodyBytes = 100L * 1024 * 1024;

    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var file = new Argument<FileInfo>("file") { Description = "The payload file (.ndjson, .jsonl, .json, .csv, optionally .gz)." };
        file.AcceptExistingOnly();
        var endpoint = new Option<string>("--endpoint", "-e") { Description = "The app's base URL, e.g. https://func-bulkdurable-x.azurewebsites.net.", Required = true };
        var dataset = CommonOptions.Dataset();
        var format = CommonOptions.Format("The payload format; by default from the file name.");
        var idempotencyKey = new Option<string>("--key", "--idempotency-key")
        {
            Description = "Idempotency-Key: submitting again with the same key returns the same job instead of starting another.",
        };
        var functionKey = new Option<string>("--function-key") { Description = $"The function key (default: the {FunctionKeyVariable} environment variable). Never printed." };
        var watch = new Option<bool>("--watch", "-w") { Description = "Poll the job until it ends, with a progress bar; the exit code is the job's." };
        var maxBodyBytes = new Option<long>("--max-body-bytes")
        {
            Description = "Larger payloads are uploaded through an upload URL instead of the request body.",
            DefaultValueFactory = _ => DefaultMaxBodyBytes,
        };
        var json = CommonOptions.Json("Print the accepted job (or, with --watch, its final status document) as JSON.");
        endpoint.Validators.Add(result =>
        {
            if (!Uri.TryCreate(result.GetValueOrDefault<string>(), UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
            {
                result.AddError($"--endpoint must be an absolute http(s) URL, not '{InputText.Show(result.GetValueOrDefault<string>(), 256)}'.");
            }
        });
        maxBodyBytes.Validators.Add(CommonOptions.Range<long>("--max-body-bytes", 1, long.MaxValue));

        var command = new Command("submit", "Submit a payload to the deployed HTTP API (and, with --watch, follow the job).")
        {
            file, endpoint, dataset, format, idempotencyKey, functionKey, watch, maxBodyBytes, json,
        };
        context.SetAction(command, async (parseResult, cancellationToken) =>
        {
            var payload = parseResult.GetRequiredValue(file);
            var named = PayloadFormats.TryFromFileName(payload.Name, out var namedFormat, out var compression);
            var payloadFormat = parseResult.GetValue(format) is { } name ? PayloadFormatNames.Parse(name)
                : named ? namedFormat
                : throw CliException.Usage($"cannot tell the format of {payload.Name} from its name: pass --format {string.Join("|", PayloadFormatNames.All)}.");
            var request = new Submission(
                payload,
                parseResult.GetRequiredValue(dataset),
                payloadFormat,
                compression,
                parseResult.GetValue(idempotencyKey),
                parseResult.GetValue(maxBodyBytes));

            var environment = context.Environment;
            var key = parseResult.GetValue(functionKey) ?? environment.Configuration[FunctionKeyVariable];
            using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
            var client = new JobsApiClient(http, new Uri(parseResult.GetRequiredValue(endpoint)), key, environment.TimeProvider);
            var renderer = new ProgressRenderer(environment.Error, environment.ErrorIsTerminal, environment.TimeProvider);
            try
            {
                var submitted = await new PayloadSubmitter(client, renderer, environment.TimeProvider).SubmitAsync(request, cancellationToken).ConfigureAwait(false);
                var accepted = submitted.Accepted;
                renderer.Notice(
                    $"Job {accepted.JobId} accepted for {accepted.Dataset} ({accepted.State})" +
                    (submitted.Replayed ? "; replayed: this Idempotency-Key already names this job, no new job was started." : ".") +
                    $" Status: {UrlRedaction.Redact(submitted.StatusUrl)}");
                if (!parseResult.GetValue(watch))
                {
                    if (parseResult.GetValue(json))
                    {
                        await environment.Out.WriteLineAsync(JsonSerializer.Serialize(accepted, CliJsonContext.Default.JobAcceptedDocument)).ConfigureAwait(false);
                    }
                    else
                    {
                        await environment.Out.WriteLineAsync(accepted.JobId).ConfigureAwait(false);
                    }

                    return ExitCodes.Success;
                }

                var status = await WatchAsync(new JobWatcher(client, renderer, environment.TimeProvider), submitted, renderer, cancellationToken).ConfigureAwait(false);
                if (parseResult.GetValue(json))
                {
                    await environment.Out.WriteLineAsync(JsonSerializer.Serialize(status, CliJsonContext.Default.JobStatusDocument)).ConfigureAwait(false);
                }
                else
                {
                    StatusText.Write(environment.Out, status);
                }

                return status.State is "Completed" or "CompletedWithErrors" ? ExitCodes.Success : ExitCodes.Failed;
            }
            catch (ApiProblemException ex)
            {
                throw ex.IsClientError ? CliException.Usage(ex.Message) : CliException.Failure(ex.Message);
            }
        });
        return command;
    }

    private static async Task<JobStatusDocument> WatchAsync(JobWatcher watcher, SubmittedJob submitted, ProgressRenderer renderer, CancellationToken cancellationToken)
    {
        try
        {
            return await watcher.WatchAsync(submitted.StatusUrl, submitted.RetryAfter, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            renderer.Notice($"Stopped watching; job {submitted.Accepted.JobId} goes on in the app.");
            throw;
        }
    }
}
