namespace BulkDurable.Ingestion.Payloads;

/// <summary>
/// CRC-32 (the gzip polynomial) algebra: the CRC of a suffix from the CRC of the whole and of the
/// prefix: zlib's <c>crc32_combine</c> solved for the suffix (multiplication by
/// x<sup>8n</sup> modulo the polynomial, reflected bit order).
/// </summary>
internal static class Crc32Math
{
    private const uint Polynomial = 0xEDB88320;

    /// <summary>x<sup>2<sup>n</sup></sup> mod p(x), for n = 0..31.</summary>
    private static readonly uint[] PowersOfTwo = CreatePowersOfTwo();

    /// <summary>CRC-32 of B, given the CRC-32 of A‖B, the CRC-32 of A, and the length of B.</summary>
    public static uint Suffix(uint crcOfWhole, uint crcOfPrefix, long suffixLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(suffixLength);
        return crcOfWhole ^ MultiplyModP(XToThe8N(suffixLength), crcOfPrefix);
    }

    /// <summary>a(x)·b(x) mod p(x); <paramref name="a"/> must not be 0.</summary>
    private static uint MultiplyModP(uint a, uint b)
    {
        var m = 1u << 31;
        var p = 0u;
        while (true)
        {
            if ((a & m) != 0)
            {
                p ^= b;
                if ((a & (m - 1)) == 0)
                {
                    return p;
                }
            }

            m >>= 1;
            b = (b & 1) != 0 ? (b >> 1) ^ Polynomial : b >> 1;
        }
    }

    /// <summary>x<sup>8n</sup> mod p(x).</summary>
    private static uint XToThe8N(long n)
    {
        var p = 1u << 31; // x^0
        for (var k = 3; n != 0; n >>= 1, k++)
        {
            if ((n & 1) != 0)
            {
                p = MultiplyModP(PowersOfTwo[k & 31], p);
            }
        }

        return p;
    }

    private static uint[] CreatePowersOfTwo()
    {
        var table = new uint[32];
        var p = 1u << 30; // x^1
        table[0] = p;
        for (var n = 1; n < table.Length; n++)
        {
            table[n] = p = MultiplyModP(p, p);
        }

        return table;
    }
}
