namespace BulkDurable.Cli;

/// <summary>An expected failure: its message is for the user, its exit code for the caller.</summary>
internal sealed class CliException : Exception
{
    private CliException(int exitCode, string message)
        : base(message) => ExitCode = exitCode;

    /// <summary>The exit code the failure maps to.</summary>
    public int ExitCode { get; }

    /// <summary>The command line or the settings are wrong (exit code 2).</summary>
    public static CliException Usage(string message) => new(ExitCodes.Usage, message);

    /// <summary>The work could not be done (exit code 1).</summary>
    public static CliException Failure(string message) => new(ExitCodes.Failed, message);
}
