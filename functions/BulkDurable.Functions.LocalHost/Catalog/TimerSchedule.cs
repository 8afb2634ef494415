using Cronos;

namespace BulkDurable.Functions.LocalHost.Catalog;

/// <summary>The schedule of a <c>timerTrigger</c> binding: an NCRONTAB expression with seconds, in UTC, as the Functions host reads it.</summary>
public sealed class TimerSchedule
{
    private readonly CronExpression _expression;

    private TimerSchedule(string text, CronExpression expression, bool runOnStartup)
    {
        Text = text;
        _expression = expression;
        RunOnStartup = runOnStartup;
    }

    /// <summary>The expression as declared (<c>0 30 3 * * *</c>).</summary>
    public string Text { get; }

    /// <summary>Whether the function also runs when the host starts.</summary>
    public bool RunOnStartup { get; }

    /// <summary>Parses a binding's schedule.</summary>
    /// <exception cref="InvalidOperationException">The schedule is missing, an app-setting reference or a TimeSpan (the local host serves NCRONTAB only), or invalid.</exception>
    public static TimerSchedule Parse(string function, string? schedule, bool runOnStartup)
    {
        ArgumentException.ThrowIfNullOrEmpty(function);
        if (string.IsNullOrWhiteSpace(schedule) || schedule.Contains('%', StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Timer function {function}: schedule '{schedule}' is not an NCRONTAB expression; the local host does not resolve %app setting% schedules.");
        }

        try
        {
            return new TimerSchedule(schedule, CronExpression.Parse(schedule, CronFormat.IncludeSeconds), runOnStartup);
        }
        catch (CronFormatException ex)
        {
            throw new InvalidOperationException($"Timer function {function}: schedule '{schedule}' is not a six-field NCRONTAB expression: {ex.Message}", ex);
        }
    }

    /// <summary>The first occurrence after <paramref name="after"/>, or <see langword="null"/> when there is none.</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset after) => _expression.GetNextOccurrence(after, TimeZoneInfo.Utc);
}
