namespace BulkDurable.Cli;

/// <summary>The process exit codes of <c>bulkdurable</c>, documented in docs/cli.md.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what it was asked (a job completed, with or without tolerated rejections).</summary>
    public const int Success = 0;

    /// <summary>The job failed (or had rejections beyond the threshold), or the command could not do its work.</summary>
    public const int Failed = 1;

    /// <summary>The command line or the settings are wrong; nothing was done.</summary>
    public const int Usage = 2;

    /// <summary>Stopped by Ctrl-C (128 + SIGINT, as shells report it); the job can be resumed.</summary>
    public const int Interrupted = 130;
}
