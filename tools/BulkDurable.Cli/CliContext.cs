using System.CommandLine;
using Azure;
using Azure.Identity;
using BulkDurable.Cli.Hosting;
using BulkDurable.Ingestion.Catalog;
using BulkDurable.Ingestion.Running;
using BulkDurable.Ingestion.Staging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BulkDurable.Cli;

/// <summary>
/// What every command shares: the environment, the global <c>--verbose</c> option, the engine
/// factory, and one translation of failures into messages and exit codes.
/// </summary>
internal sealed class CliContext(CliEnvironment environment)
{
    /// <summary>The process's settings and streams.</summary>
    public CliEnvironment Environment { get; } = environment;

    /// <summary><c>--verbose</c>: log information messages and show stack traces.</summary>
    public Option<bool> Verbose { get; } = new("--verbose", "-v")
    {
        Description = "Log more (information messages, stack traces of errors) to standard error.",
        Recursive = true,
    };

    /// <summary>Creates the engine over the settings, with command-line overrides on top.</summary>
    public EngineHost CreateEngine(ParseResult parseResult, IReadOnlyDictionary<string, string?>? overrides = null) =>
        EngineHost.Create(Environment, parseResult.GetValue(Verbose), overrides);

    /// <summary>Sets a command's action, translating failures into a message on standard error and an exit code.</summary>
    public void SetAction(Command command, Func<ParseResult, CancellationToken, Task<int>> action)
    {
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            try
            {
                return await action(parseResult, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return await FailAsync(ExitCodes.Interrupted, "interrupted.").ConfigureAwait(false);
            }
            catch (CliException ex)
            {
                return await FailAsync(ex.ExitCode, ex.Message).ConfigureAwait(false);
            }
            catch (OptionsValidationException ex)
            {
                return await FailAsync(ExitCodes.Usage, SettingsErrors.Describe([ex])).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is UnknownDatasetException or JobConflictException or PayloadTooLargeException)
            {
                return await FailAsync(ExitCodes.Usage, ex.Message).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Servers unreachable, credentials refused, files unreadable, or a bug: one line by
                // default, the whole exception with --verbose.
                return await FailAsync(ExitCodes.Failed, Explain(ex), parseResult.GetValue(Verbose) ? ex : null).ConfigureAwait(false);
            }
        });
    }

    private static string Explain(Exception exception) => exception switch
    {
        NpgsqlException => $"PostgreSQL: {exception.Message}",
        RequestFailedException storage => $"Blob Storage ({storage.Status}): {FirstLine(storage.Message)}",
        AuthenticationFailedException => $"Microsoft Entra sign-in (DefaultAzureCredential; try 'az login'): {FirstLine(exception.Message)}",
        HttpRequestException => $"HTTP: {exception.Message}",
        IOException or UnauthorizedAccessException => exception.Message,
        _ => $"{exception.GetType().Name}: {exception.Message} (run with --verbose for details)",
    };

    private static string FirstLine(string text) => text.Split('\n', 2)[0].TrimEnd();

    private async Task<int> FailAsync(int exitCode, string message, Exception? details = null)
    {
        await Environment.Error.WriteLineAsync($"error: {message}").ConfigureAwait(false);
        if (details is not null)
        {
            await Environment.Error.WriteLineAsync(details.ToString()).ConfigureAwait(false);
        }

        return exitCode;
    }
}
