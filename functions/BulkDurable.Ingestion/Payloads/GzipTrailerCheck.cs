using System.Buffers.Binary;
using System.IO.Hashing;

namespace BulkDurable.Ingestion.Payloads;

/// <summary>
/// Tells a complete gzip stream from a truncated one. <see cref="System.IO.Compression.GZipStream"/>
/// verifies the trailer (CRC-32 and length) of every member it finishes, but when the input simply
/// stops it ends quietly, as if the payload were shorter (unless the process-wide
/// <c>System.IO.Compression.UseStrictValidation</c> switch is on). So the decoder checks the last
/// member itself: the stream's last 8 bytes must be the CRC-32 and length of the output produced
/// since the member began. Members end where a read ends (the inflater returns at a member's end),
/// so the CRC of every read boundary is kept and the member's CRC is derived from it, which also
/// accepts concatenated members. That is 12 bytes per read of the decoder, which reads about 8 KiB
/// of compressed input at a time: about 1.5 MB per GB of compressed payload.
/// </summary>
internal sealed class GzipTrailerCheck
{
    /// <summary>Size of a gzip member trailer: CRC-32 then ISIZE, both little-endian.</summary>
    public const int TrailerSize = 8;

    private readonly Crc32 _crc = new();
    private readonly List<long> _boundaryOffsets = [0];
    private readonly List<uint> _boundaryCrcs = [0];
    private long _length;

    /// <summary>Adds the output of one read of the decoder.</summary>
    public void Append(ReadOnlySpan<byte> output)
    {
        if (output.IsEmpty)
        {
            return;
        }

        _crc.Append(output);
        _length += output.Length;
        _boundaryOffsets.Add(_length);
        _boundaryCrcs.Add(_crc.GetCurrentHashAsUInt32());
    }

    /// <summary>Whether <paramref name="tail"/> (the last bytes of the compressed stream) is the trailer of a member ending the output.</summary>
    public bool EndsWithTrailer(ReadOnlySpan<byte> tail)
    {
        if (tail.Length < TrailerSize)
        {
            return false;
        }

        var trailer = tail[^TrailerSize..];
        var expectedCrc = BinaryPrimitives.ReadUInt32LittleEndian(trailer);
        var expectedLength = BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]);
        var total = _crc.GetCurrentHashAsUInt32();
        for (var i = _boundaryOffsets.Count - 1; i >= 0; i--)
        {
            var memberLength = _length - _boundaryOffsets[i];
            if (unchecked((uint)memberLength) == expectedLength && Crc32Math.Suffix(total, _boundaryCrcs[i], memberLength) == expectedCrc)
            {
                return true;
            }
        }

        return false;
    }
}
