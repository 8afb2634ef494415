namespace BulkDurable.Functions.Orchestration;

/// <summary>What a run of a job has done so far, folded from its segments' results.</summary>
/// <param name="ChunkCount">Chunks in the plan.</param>
/// <param name="ChunksLoaded">Chunks loaded (or found loaded) by this run.</param>
/// <param name="ChunksFailed">Chunks that failed permanently in this run.</param>
/// <param name="RecordsRejected">Records rejected so far, planning included.</param>
public sealed record RunTally(int ChunkCount, int ChunksLoaded, int ChunksFailed, long RecordsRejected)
{
    /// <summary>The tally after <paramref name="segment"/>.</summary>
    public RunTally Add(SegmentResult segment)
    {
        ArgumentNullException.ThrowIfNull(segment);
        return this with
        {
            ChunksLoaded = ChunksLoaded + segment.ChunksLoaded,
            ChunksFailed = ChunksFailed + segment.ChunksFailed,
            RecordsRejected = RecordsRejected + segment.RecordsRejected,
        };
    }
}
