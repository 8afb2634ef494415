namespace BulkDurable.Ingestion.Jobs;

/// <summary>A run of consecutive chunks handled together (one Durable sub-orchestration).</summary>
/// <param name="Index">0-based segment number.</param>
/// <param name="FirstChunk">First chunk index.</param>
/// <param name="ChunkCount">Chunks in the segment.</param>
public sealed record ChunkSegment(int Index, int FirstChunk, int ChunkCount);

/// <summary>Splits a job's chunks into segments.</summary>
public static class ChunkSegments
{
    /// <summary>Consecutive segments of at most <paramref name="chunksPerSegment"/> chunks covering [0, <paramref name="chunkCount"/>).</summary>
    public static IReadOnlyList<ChunkSegment> Split(int chunkCount, int chunksPerSegment)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(chunkCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunksPerSegment, 1);
        var segments = new List<ChunkSegment>((chunkCount + chunksPerSegment - 1) / chunksPerSegment);
        for (var first = 0; first < chunkCount; first += chunksPerSegment)
        {
            segments.Add(new ChunkSegment(segments.Count, first, Math.Min(chunksPerSegment, chunkCount - first)));
        }

        return segments;
    }
}
