using System.Buffers;

namespace BulkDurable.Ingestion.Planning;

/// <summary>
/// A chunk handed over by the planner as soon as it is cut, with its bytes, so that an in-process
/// driver loads it while planning goes on and without reading the payload a second time.
/// Disposing returns the bytes to the pool; whoever receives a planned chunk disposes it.
/// </summary>
public sealed class PlannedChunk : IDisposable
{
    private byte[]? _buffer;

    internal PlannedChunk(ChunkDescriptor descriptor, PlanContext context, ReadOnlySpan<byte> bytes)
    {
        Descriptor = descriptor;
        Context = context;
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(bytes.Length, 1));
        bytes.CopyTo(_buffer);
    }

    /// <summary>The chunk.</summary>
    public ChunkDescriptor Descriptor { get; }

    /// <summary>The plan it belongs to.</summary>
    public PlanContext Context { get; }

    /// <summary>The chunk's bytes (its whole byte range).</summary>
    public ReadOnlyMemory<byte> Bytes => (_buffer ?? throw new ObjectDisposedException(nameof(PlannedChunk))).AsMemory(0, Descriptor.Length);

    /// <inheritdoc />
    public void Dispose()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
