namespace BulkDurable.Functions.Http;

/// <summary>
/// A request body whose first significant byte has been looked at. <see cref="Content"/> replays
/// the bytes read for that, then continues with the rest of the body, so nothing is buffered
/// beyond the leading whitespace.
/// </summary>
/// <param name="FirstByte">The first byte that is not whitespace or a UTF-8 byte order mark, or -1 when there is none within <see cref="PeekLimit"/> bytes.</param>
/// <param name="Content">The whole body, from its first byte.</param>
public sealed record PeekedBody(int FirstByte, Stream Content)
{
    /// <summary>How far into the body the first significant byte is looked for.</summary>
    public const int PeekLimit = 64 * 1024;

    /// <summary>Reads <paramref name="body"/> up to its first significant byte.</summary>
    public static async Task<PeekedBody> ReadAsync(Stream body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var buffer = new byte[4096];
        var length = 0;
        while (length < PeekLimit)
        {
            if (length == buffer.Length)
            {
                Array.Resize(ref buffer, Math.Min(buffer.Length * 2, PeekLimit));
            }

            var read = await body.ReadAsync(buffer.AsMemory(length, buffer.Length - length), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            var start = length;
            length += read;
            for (var i = start; i < length; i++)
            {
                if (!IsInsignificant(buffer, i))
                {
                    return new PeekedBody(buffer[i], new PrefixedReadStream(buffer, length, body));
                }
            }
        }

        return new PeekedBody(-1, new PrefixedReadStream(buffer, length, body));
    }

    private static ReadOnlySpan<byte> ByteOrderMark => [0xEF, 0xBB, 0xBF];

    // JSON whitespace, plus the UTF-8 byte order mark at the very start.
    private static bool IsInsignificant(byte[] buffer, int index) =>
        buffer[index] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'
        || (index < ByteOrderMark.Length && buffer[index] == ByteOrderMark[index]);
}
