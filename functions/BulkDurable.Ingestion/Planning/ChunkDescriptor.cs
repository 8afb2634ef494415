namespace BulkDurable.Ingestion.Planning;

/// <summary>
/// Where one chunk's records are in the (decoded) payload: enough for any worker to load chunk
/// <see cref="Index"/> on its own. Holds no records, so it can travel through Durable Functions.
/// </summary>
/// <param name="JobId">The job.</param>
/// <param name="Index">0-based chunk index.</param>
/// <param name="Offset">Offset of the first record's first byte.</param>
/// <param name="Length">Bytes from the first record's start to the last record's end.</param>
/// <param name="FirstRecord">1-based number of the chunk's first record in the payload.</param>
/// <param name="FirstLine">1-based line of the chunk's first record.</param>
/// <param name="RecordCount">Records in the chunk.</param>
public sealed record ChunkDescriptor(string JobId, int Index, long Offset, int Length, long FirstRecord, long FirstLine, int RecordCount);
