using BulkDurable.Ingestion.Jobs;

namespace BulkDurable.Cli.Progress;

/// <summary>
/// Receives the direct runner's snapshots (from several workers, possibly out of order), keeps the
/// most advanced one and shows it. The rate and ETA are this run's own, measured from the first
/// snapshot: a resumed job's ledger-wide rate would count the time it was not running.
/// </summary>
internal sealed class LoadProgress(ProgressRenderer renderer, TimeProvider timeProvider) : IProgress<JobProgressSnapshot>
{
    private readonly Lock _lock = new();
    private long _firstTimestamp;

    // Records already processed at the first snapshot: the live rate counts what came after it.
    private long _processedAtStart;

    /// <summary>The most advanced snapshot so far.</summary>
    public JobProgressSnapshot? Latest { get; private set; }

    /// <inheritdoc />
    public void Report(JobProgressSnapshot value)
    {
        ArgumentNullException.ThrowIfNull(value);
        ProgressView view;
        lock (_lock)
        {
            if (Latest is null)
            {
                _firstTimestamp = timeProvider.GetTimestamp();
                _processedAtStart = Processed(value);
            }
            else if (Processed(value) < Processed(Latest))
            {
                return;
            }

            Latest = value;
            view = View(value);
        }

        renderer.Show(view);
    }

    /// <summary>Draws the final state and ends the progress line.</summary>
    public void Finish()
    {
        ProgressView? view;
        lock (_lock)
        {
            view = Latest is null ? null : View(Latest);
        }

        renderer.Finish(view);
    }

    private static long Processed(JobProgressSnapshot snapshot) => snapshot.Inserted + snapshot.Updated + snapshot.Unchanged + snapshot.Rejected;

    private ProgressView View(JobProgressSnapshot snapshot)
    {
        var processed = Processed(snapshot);
        var seconds = timeProvider.GetElapsedTime(_firstTimestamp).TotalSeconds;
        var rate = seconds > 0.2 ? (processed - _processedAtStart) / seconds : 0;
        var remaining = Math.Max(0, snapshot.Submitted - processed);
        TimeSpan? eta = remaining == 0 ? TimeSpan.Zero : rate > 0 ? TimeSpan.FromSeconds(remaining / rate) : null;
        return new ProgressView(snapshot.Percent, processed, snapshot.Submitted, snapshot.Rejected, snapshot.ChunksLoaded + snapshot.ChunksFailed, snapshot.ChunkCount, rate, eta);
    }
}
