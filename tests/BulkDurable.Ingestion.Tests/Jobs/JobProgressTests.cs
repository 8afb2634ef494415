using BulkDurable.Ingestion.Jobs;

namespace BulkDurable.Ingestion.Tests.Jobs;

public sealed class JobProgressTests
{
    private static readonly DateTimeOffset T0 = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static ChunkOutcome Outcome(int index, int seconds, long inserted = 100, long rejected = 0) =>
        new("job", index, (int)(inserted + rejected), inserted, 0, 0, rejected, T0.AddSeconds(seconds - 1), T0.AddSeconds(seconds));

    [Fact]
    public void A_redelivered_outcome_counts_once()
    {
        var progress = new JobProgress();
        progress.ApplyPlan(4, 400, 0);

        Assert.True(progress.Apply(Outcome(0, 1)));
        Assert.False(progress.Apply(Outcome(0, 1) with { Replayed = true }));

        Assert.Equal(100, progress.Inserted);
        Assert.Equal(1, progress.Loaded.Count);
    }

    [Fact]
    public void Percent_rate_and_eta_follow_the_loaded_records()
    {
        var progress = new JobProgress();
        progress.ApplyPlan(4, 400, 0);
        progress.Apply(Outcome(0, 1));
        progress.Apply(Outcome(1, 2, inserted: 90, rejected: 10));

        var snapshot = progress.Snapshot(T0.AddSeconds(2));

        Assert.Equal(50, snapshot.Percent);
        Assert.Equal(100, snapshot.RowsPerSecond);
        Assert.Equal(TimeSpan.FromSeconds(2), snapshot.Eta);
        Assert.Equal(10, snapshot.Rejected);
        Assert.Equal(2, snapshot.ChunksPending);
    }

    [Fact]
    public void A_failed_chunk_that_loads_later_leaves_the_failures()
    {
        var progress = new JobProgress();
        progress.ApplyPlan(2, 200, 0);

        Assert.True(progress.ApplyFailure(new FailedChunk(1, 100, "boom")));
        Assert.False(progress.ApplyFailure(new FailedChunk(1, 100, "boom again")));
        Assert.Equal(1, progress.Snapshot(T0).ChunksFailed);

        progress.Apply(Outcome(1, 5));

        Assert.Equal(0, progress.Failed.Count);
        Assert.Empty(progress.Errors);
        Assert.False(progress.ApplyFailure(new FailedChunk(1, 100, "late failure of a loaded chunk")));
    }

    [Fact]
    public void Records_rejected_while_planning_count_as_processed_and_rejected()
    {
        var progress = new JobProgress();
        progress.ApplyPlan(1, 105, 5);
        progress.Apply(Outcome(0, 1));

        var snapshot = progress.Snapshot(T0);

        Assert.Equal(100, snapshot.Percent);
        Assert.Equal(5, snapshot.Rejected);
        Assert.Equal(TimeSpan.Zero, snapshot.Eta);
    }

    [Fact]
    public void Only_the_first_errors_are_kept()
    {
        var progress = new JobProgress();
        progress.ApplyPlan(100, 10_000, 0);
        for (var i = 0; i < 50; i++)
        {
            progress.ApplyFailure(new FailedChunk(i, 100, "error " + i));
        }

        Assert.Equal(50, progress.Failed.Count);
        Assert.Equal(JobProgress.MaxErrors, progress.Errors.Count);
    }
}
