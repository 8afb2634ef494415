using System.Buffers;
using Azure;
using BulkDurable.Ingestion.Staging;

namespace BulkDurable.Ingestion.Planning;

/// <summary>Reads chunk descriptors from a job's chunk index by byte range.</summary>
public sealed class ChunkIndexReader(IngestionBlobStore store)
{
    /// <summary>The descriptors of chunks [<paramref name="first"/>, <paramref name="first"/> + <paramref name="count"/>), clipped to the plan.</summary>
    public async Task<IReadOnlyList<ChunkDescriptor>> ReadAsync(JobManifest manifest, int first, int count, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentOutOfRangeException.ThrowIfNegative(first);
        count = Math.Max(0, Math.Min(count, manifest.ChunkCount - first));
        if (count == 0)
        {
            return [];
        }

        var length = count * ChunkIndexCodec.EntrySize;
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            await store.ReadRangeAsync(BlobLayout.ChunkIndex(manifest.JobId, manifest.AttemptId), (long)first * ChunkIndexCodec.EntrySize, buffer.AsMemory(0, length), ifMatch: null, cancellationToken).ConfigureAwait(false);
            var chunks = new ChunkDescriptor[count];
            for (var i = 0; i < count; i++)
            {
                chunks[i] = ChunkIndexCodec.Read(buffer.AsSpan(i * ChunkIndexCodec.EntrySize, ChunkIndexCodec.EntrySize), manifest.JobId, first + i);
            }

            return chunks;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            throw new InvalidOperationException($"The chunk index of job {manifest.JobId} is missing.", ex);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
