namespace BulkDurable.Ingestion.Jobs;

/// <summary>
/// A job's progress, folded from chunk outcomes. Folding is idempotent: an outcome delivered twice
/// (a retried activity, a replayed ledger row, a resumed run) counts once. Used as the state of the
/// Durable <c>JobProgress</c> entity and by the direct runner and the status reader, so the numbers
/// mean the same everywhere. Plain settable properties keep it serializable as entity state.
/// </summary>
public sealed class JobProgress
{
    /// <summary>Most distinct error messages kept for the summary.</summary>
    public const int MaxErrors = 20;

    /// <summary>Whether the plan's totals are known (<see cref="ApplyPlan"/>).</summary>
    public bool Planned { get; set; }

    /// <summary>Chunks in the plan (0 until planned).</summary>
    public int ChunkCount { get; set; }

    /// <summary>Records in the payload (known once planned).</summary>
    public long RecordCount { get; set; }

    /// <summary>Records rejected while planning.</summary>
    public long PlanRejected { get; set; }

    /// <summary>Chunks whose outcome has been folded in.</summary>
    public ChunkSet Loaded { get; set; } = new();

    /// <summary>Chunks that failed permanently and have not loaded since.</summary>
    public ChunkSet Failed { get; set; } = new();

    /// <summary>Records of loaded chunks.</summary>
    public long RecordsLoaded { get; set; }

    /// <summary>Records that created a row.</summary>
    public long Inserted { get; set; }

    /// <summary>Records that changed a row.</summary>
    public long Updated { get; set; }

    /// <summary>Records that matched a row and changed nothing.</summary>
    public long Unchanged { get; set; }

    /// <summary>Records rejected while loading (planning rejections are in <see cref="PlanRejected"/>).</summary>
    public long Rejected { get; set; }

    /// <summary>When the earliest folded chunk started.</summary>
    public DateTimeOffset? FirstStartedAt { get; set; }

    /// <summary>When the latest folded chunk completed.</summary>
    public DateTimeOffset? LastCompletedAt { get; set; }

    /// <summary>Failed chunks with their errors, the first <see cref="MaxErrors"/> only.</summary>
    public List<FailedChunk> Errors { get; set; } = [];

    /// <summary>Records the plan's totals.</summary>
    public void ApplyPlan(int chunkCount, long recordCount, long planRejected)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(chunkCount);
        Planned = true;
        ChunkCount = chunkCount;
        RecordCount = recordCount;
        PlanRejected = planRejected;
    }

    /// <summary>Folds in a chunk outcome; returns false when that chunk was already counted.</summary>
    public bool Apply(ChunkOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (!Loaded.Add(outcome.ChunkIndex))
        {
            return false;
        }

        Failed.Remove(outcome.ChunkIndex);
        Errors.RemoveAll(e => e.ChunkIndex == outcome.ChunkIndex);
        RecordsLoaded += outcome.Records;
        Inserted += outcome.Inserted;
        Updated += outcome.Updated;
        Unchanged += outcome.Unchanged;
        Rejected += outcome.Rejected;
        FirstStartedAt = Min(FirstStartedAt, outcome.StartedAt);
        LastCompletedAt = Max(LastCompletedAt, outcome.CompletedAt);
        return true;
    }

    /// <summary>Records a permanent chunk failure; returns false when the chunk is loaded or already failed.</summary>
    public bool ApplyFailure(FailedChunk failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        if (Loaded.Contains(failure.ChunkIndex) || !Failed.Add(failure.ChunkIndex))
        {
            return false;
        }

        if (Errors.Count < MaxErrors)
        {
            Errors.Add(failure);
        }

        return true;
    }

    /// <summary>Forgets failures so that a redrive starts from a clean slate for those chunks.</summary>
    public void ClearFailures()
    {
        Failed = new ChunkSet();
        Errors.Clear();
    }

    /// <summary>The numbers as of <paramref name="now"/>.</summary>
    public JobProgressSnapshot Snapshot(DateTimeOffset now)
    {
        var processed = RecordsLoaded + PlanRejected;
        var percent = !Planned ? 0 : RecordCount > 0 ? Math.Round(100.0 * processed / RecordCount, 2) : 100;
        var elapsed = FirstStartedAt is { } first && LastCompletedAt is { } last ? (last - first).TotalSeconds : 0;
        var rate = elapsed > 0 ? RecordsLoaded / elapsed : 0;
        var remaining = Math.Max(0, RecordCount - processed);
        TimeSpan? eta = !Planned ? null : rate > 0 && remaining > 0 ? TimeSpan.FromSeconds(remaining / rate) : remaining == 0 ? TimeSpan.Zero : null;
        return new JobProgressSnapshot(
            ChunkCount,
            Loaded.Count,
            Failed.Count,
            Math.Max(0, ChunkCount - Loaded.Count - Failed.Count),
            RecordCount,
            Inserted,
            Updated,
            Unchanged,
            Rejected + PlanRejected,
            percent,
            Math.Round(rate, 1),
            eta,
            FirstStartedAt,
            now);
    }

    private static DateTimeOffset Min(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x < b ? x : b;

    private static DateTimeOffset Max(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x > b ? x : b;
}

/// <summary>Progress numbers at one moment.</summary>
/// <param name="ChunkCount">Chunks in the plan.</param>
/// <param name="ChunksLoaded">Chunks loaded.</param>
/// <param name="ChunksFailed">Chunks that failed permanently.</param>
/// <param name="ChunksPending">Chunks neither loaded nor failed.</param>
/// <param name="Submitted">Records in the payload.</param>
/// <param name="Inserted">Records that created a row.</param>
/// <param name="Updated">Records that changed a row.</param>
/// <param name="Unchanged">Records that matched a row and changed nothing.</param>
/// <param name="Rejected">Records rejected, while planning or loading.</param>
/// <param name="Percent">Share of records processed (loaded or rejected).</param>
/// <param name="RowsPerSecond">Records loaded per second of loading so far.</param>
/// <param name="Eta">Estimated time to finish, when a rate is known.</param>
/// <param name="StartedAt">When the first chunk started loading.</param>
/// <param name="AsOf">When the snapshot was taken.</param>
public sealed record JobProgressSnapshot(
    int ChunkCount,
    int ChunksLoaded,
    int ChunksFailed,
    int ChunksPending,
    long Submitted,
    long Inserted,
    long Updated,
    long Unchanged,
    long Rejected,
    double Percent,
    double RowsPerSecond,
    TimeSpan? Eta,
    DateTimeOffset? StartedAt,
    DateTimeOffset AsOf);
