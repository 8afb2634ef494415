using Microsoft.Extensions.Configuration;

namespace BulkDurable.Cli;

/// <summary>
/// What the process gives the commands: settings, standard streams and a clock. Tests build one
/// with their own configuration and in-memory streams, so every command runs in-process.
/// </summary>
internal sealed class CliEnvironment
{
    /// <summary>Settings: the same keys as the Functions app (<c>BulkDurable:*</c>) plus <c>BULKDURABLE_FUNCTION_KEY</c>.</summary>
    public required IConfiguration Configuration { get; init; }

    /// <summary>Standard output as text: results only, so that it can be piped.</summary>
    public required TextWriter Out { get; init; }

    /// <summary>Standard error: progress, notices, log messages and errors. Must be safe to write from several threads.</summary>
    public required TextWriter Error { get; init; }

    /// <summary>Standard output as bytes (NDJSON, generated payloads); callers flush it and never dispose it.</summary>
    public required Stream StandardOutput { get; init; }

    /// <summary>Standard input as bytes (a payload read from <c>-</c>).</summary>
    public required Stream StandardInput { get; init; }

    /// <summary>Whether standard error is a terminal, so that progress can be redrawn in place.</summary>
    public bool ErrorIsTerminal { get; init; }

    /// <summary>The clock of progress rates and of the delays between status polls.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The environment of this process: the console and the given settings.</summary>
    public static CliEnvironment FromConsole(IConfiguration configuration) => new()
    {
        Configuration = configuration,
        Out = Console.Out,
        Error = Console.Error,
        StandardOutput = Console.OpenStandardOutput(),
        StandardInput = Console.OpenStandardInput(),
        ErrorIsTerminal = !Console.IsErrorRedirected,
    };
}
