using BulkDurable.Ingestion.Planning;

namespace BulkDurable.Functions.Orchestration;

/// <summary>Input of <c>LoadChunk</c>: the chunk, and the job's run the load belongs to.</summary>
/// <param name="Chunk">The chunk.</param>
/// <param name="Run">The run: the load starts only while it is the job's live run (<see cref="RunFence"/>).</param>
public sealed record LoadChunkRequest(ChunkDescriptor Chunk, int Run);
