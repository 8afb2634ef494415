namespace BulkDurable.Functions.Admission;

/// <summary>
/// The state of a caller's <c>SubmissionRate</c> entity: when its recent submissions were admitted,
/// oldest first, at most the per-minute limit of them.
/// </summary>
public sealed class SubmissionWindow
{
    /// <summary>The length of the window.</summary>
    public static readonly TimeSpan Length = TimeSpan.FromMinutes(1);

    /// <summary>When the submissions of the last minute were admitted, oldest first.</summary>
    public List<DateTimeOffset> Admitted { get; set; } = [];

    /// <summary>How long until another submission fits under <paramref name="limit"/>; zero when one fits now.</summary>
    public TimeSpan WaitFor(int limit, DateTimeOffset now)
    {
        var recent = Admitted.Where(t => t > now - Length).ToList();
        return recent.Count < limit ? TimeSpan.Zero : recent[recent.Count - limit] + Length - now;
    }

    /// <summary>Records a submission admitted at <paramref name="at"/>, forgetting what left the window and keeping at most <paramref name="limit"/>.</summary>
    public void Record(DateTimeOffset at, int limit)
    {
        Admitted.RemoveAll(t => t <= at - Length);
        Admitted.Add(at);
        Admitted.Sort();
        if (Admitted.Count > limit)
        {
            Admitted.RemoveRange(0, Admitted.Count - limit);
        }
    }
}
