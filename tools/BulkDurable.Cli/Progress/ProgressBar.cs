using System.Text;
using BulkDurable.Cli.Output;

namespace BulkDurable.Cli.Progress;

/// <summary>
/// Formats one line of progress: bar, percent, records, chunks, rate, ETA and rejected count; while
/// the plan's totals are unknown, the counts so far with no percent or ETA.
/// </summary>
internal static class ProgressBar
{
    /// <summary>Width of the bar itself, in characters.</summary>
    public const int BarWidth = 24;

    /// <summary>The line for <paramref name="view"/>, cut to <paramref name="maxWidth"/> characters.</summary>
    public static string Format(ProgressView view, int maxWidth = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(view);
        if (!view.TotalsKnown)
        {
            var planning = new StringBuilder()
                .Append('[').Append("planning".PadRight(BarWidth)).Append("]  ")
                .Append(Text.Count(view.Processed)).Append(" records")
                .Append("  ").Append(view.ChunksDone).Append(" chunks so far")
                .Append("  ").Append(Text.Count((long)view.RowsPerSecond)).Append(" rows/s")
                .Append("  ").Append(Text.Count(view.Rejected)).Append(" rejected")
                .ToString();
            return planning.Length <= maxWidth ? planning : planning[..Math.Max(0, maxWidth)];
        }

        var percent = Math.Clamp(view.Percent, 0, 100);
        var filled = (int)Math.Round(BarWidth * percent / 100);
        var line = new StringBuilder()
            .Append('[').Append('#', filled).Append('.', BarWidth - filled).Append("] ")
            .Append(Text.Percent(percent).PadLeft(6))
            .Append("  ").Append(Text.Count(view.Processed)).Append('/').Append(Text.Count(view.Submitted)).Append(" records")
            .Append("  ").Append(view.ChunksDone).Append('/').Append(view.ChunkCount).Append(" chunks")
            .Append("  ").Append(Text.Count((long)view.RowsPerSecond)).Append(" rows/s")
            .Append("  ETA ").Append(view.Eta is { } eta ? Text.Duration(eta) : "-")
            .Append("  ").Append(Text.Count(view.Rejected)).Append(" rejected")
            .ToString();
        return line.Length <= maxWidth ? line : line[..Math.Max(0, maxWidth)];
    }
}
