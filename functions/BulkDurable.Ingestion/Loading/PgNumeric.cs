using System.Buffers.Binary;

namespace BulkDurable.Ingestion.Loading;

/// <summary>
/// PostgreSQL's binary numeric: digit count, weight (power of 10000 of the first digit), sign and
/// display scale, then base-10000 digits, most significant first.
/// </summary>
internal static class PgNumeric
{
    private const ushort Positive = 0x0000;
    private const ushort Negative = 0x4000;

    /// <summary>Writes <paramref name="value"/>; returns the bytes written (at most 8 + 2 × 8).</summary>
    public static int Write(decimal value, Span<byte> destination)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var scale = (bits[3] >> 16) & 0xFF;
        var negative = bits[3] < 0;
        var mantissa = ((UInt128)(uint)bits[2] << 64) | ((UInt128)(uint)bits[1] << 32) | (uint)bits[0];

        // Align the fraction on whole base-10000 digits: scale 5 becomes 8 digits after the point.
        var padding = (4 - (scale % 4)) % 4;
        for (var i = 0; i < padding; i++)
        {
            mantissa *= 10;
        }

        var fractionGroups = (scale + padding) / 4;
        Span<short> groups = stackalloc short[10];
        var count = 0;
        while (mantissa != 0)
        {
            groups[count++] = (short)(ushort)(mantissa % 10_000);
            mantissa /= 10_000;
        }

        // groups[0] is the least significant; leading zeros do not occur, trailing zero groups need not be stored.
        var weight = count - fractionGroups - 1;
        var lowest = 0;
        while (lowest < count && groups[lowest] == 0)
        {
            lowest++;
        }

        var digits = count - lowest;
        BinaryPrimitives.WriteInt16BigEndian(destination, (short)digits);
        BinaryPrimitives.WriteInt16BigEndian(destination[2..], (short)(digits == 0 ? 0 : weight));
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], negative && digits > 0 ? Negative : Positive);
        BinaryPrimitives.WriteInt16BigEndian(destination[6..], (short)scale);
        for (var i = 0; i < digits; i++)
        {
            BinaryPrimitives.WriteInt16BigEndian(destination[(8 + (2 * i))..], groups[count - 1 - i]);
        }

        return 8 + (2 * digits);
    }
}
