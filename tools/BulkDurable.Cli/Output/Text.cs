using System.Globalization;

namespace BulkDurable.Cli.Output;

/// <summary>How numbers, sizes and durations read in human output (invariant culture: 1,234,567).</summary>
internal static class Text
{
    /// <summary>A count with thousands separators.</summary>
    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A count and a noun, in the plural unless the count is one ("1 chunk", "25 chunks").</summary>
    public static string Count(long value, string noun) => $"{Count(value)} {noun}{(value == 1 ? "" : "s")}";

    /// <summary>A byte size in the largest binary unit that keeps it above 1.</summary>
    public static string Bytes(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0 ? $"{bytes} B" : value.ToString("0.0", CultureInfo.InvariantCulture) + " " + units[unit];
    }

    /// <summary>A duration as h:mm:ss or m:ss.</summary>
    public static string Duration(TimeSpan duration)
    {
        var total = (long)Math.Max(0, Math.Round(duration.TotalSeconds));
        var (hours, minutes, seconds) = (total / 3600, total / 60 % 60, total % 60);
        return hours > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{hours}:{minutes:00}:{seconds:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{minutes}:{seconds:00}");
    }

    /// <summary>A rate per second: whole numbers from 10 up, one decimal below (a small job's 1.7 rows/s is not "1").</summary>
    public static string Rate(double perSecond) =>
        perSecond.ToString(perSecond >= 10 ? "N0" : "0.0", CultureInfo.InvariantCulture);

    /// <summary>Seconds with one decimal.</summary>
    public static string Seconds(double seconds) => seconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";

    /// <summary>A percentage with one decimal.</summary>
    public static string Percent(double percent) => percent.ToString("0.0", CultureInfo.InvariantCulture) + "%";

    /// <summary>A timestamp in UTC, to the second.</summary>
    public static string Time(DateTimeOffset? time) =>
        time is { } t ? t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "-";

    /// <summary>Quotes a command-line argument for a POSIX shell when it needs it.</summary>
    public static string ShellArgument(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=@%+,".Contains(c, StringComparison.Ordinal))
            ? argument
            : "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
