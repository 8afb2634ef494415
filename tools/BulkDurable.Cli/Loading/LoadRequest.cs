using BulkDurable.Ingestion.Payloads;

namespace BulkDurable.Cli.Loading;

/// <summary>What <c>bulkdurable load</c> was asked to do.</summary>
/// <param name="Path">The payload file, or <c>-</c> for standard input.</param>
/// <param name="Dataset">The catalog dataset.</param>
/// <param name="Format">The format given with <c>--format</c>, if any.</param>
/// <param name="JobId">The job id given with <c>--job</c>, if any (an existing job is resumed).</param>
/// <param name="Parallelism">Chunks loaded at once; the configured default when null.</param>
internal sealed record LoadRequest(string Path, string Dataset, PayloadFormat? Format, string? JobId, int? Parallelism)
{
    /// <summary>The path that means standard input.</summary>
    public const string StandardInput = "-";

    /// <summary>Whether the payload is read from standard input.</summary>
    public bool FromStandardInput => Path == StandardInput;

    /// <summary>How the payload is named in messages.</summary>
    public string DisplayName => FromStandardInput ? "standard input" : System.IO.Path.GetFileName(Path);
}
