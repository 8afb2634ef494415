using System.Buffers;
using BulkDurable.Ingestion.Records;
using Npgsql;

namespace BulkDurable.Ingestion.Loading;

/// <summary>
/// Streams a <see cref="RowBatch"/> into PostgreSQL with binary COPY: rows are encoded straight
/// from the batch's typed columns into a pooled buffer that is sent in large writes, so the cost
/// per value is a few stores, not a driver call.
/// </summary>
internal static class RowCopier
{
    private const int BufferSize = 256 * 1024;

    /// <summary>
    /// Copies every row in the batch's write order; with <paramref name="withOrdinal"/>, each row is
    /// prefixed with its batch index (its place in the payload), which staging statements refer to.
    /// Returns the rows copied. A refusal by the server surfaces as a <see cref="PostgresException"/>.
    /// </summary>
    public static Task<long> CopyAsync(NpgsqlConnection connection, string copyCommand, RowBatch batch, bool withOrdinal, CancellationToken cancellationToken) =>
        CopyAsync(connection, copyCommand, batch, withOrdinal, 0, batch.Count, cancellationToken);

    /// <summary>Copies the rows at write-order positions [<paramref name="first"/>, <paramref name="first"/> + <paramref name="count"/>).</summary>
    public static async Task<long> CopyAsync(NpgsqlConnection connection, string copyCommand, RowBatch batch, bool withOrdinal, int first, int count, CancellationToken cancellationToken)
    {
        var stream = await connection.BeginRawBinaryCopyAsync(copyCommand, cancellationToken).ConfigureAwait(false);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        var completed = false;
        try
        {
            var used = WriteHeader(buffer);
            for (var i = first; i < first + count; i++)
            {
                var row = batch.WriteOrder[i];
                var size = RowSize(batch, row, withOrdinal);
                if (used + size > buffer.Length)
                {
                    await stream.WriteAsync(buffer.AsMemory(0, used), cancellationToken).ConfigureAwait(false);
                    used = 0;
                    if (size > buffer.Length)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = ArrayPool<byte>.Shared.Rent(size);
                    }
                }

                used += WriteRow(buffer.AsSpan(used), batch, row, withOrdinal);
            }

            if (used + 2 > buffer.Length)
            {
                await stream.WriteAsync(buffer.AsMemory(0, used), cancellationToken).ConfigureAwait(false);
                used = 0;
            }

            used += WriteTrailer(buffer.AsSpan(used));
            await stream.WriteAsync(buffer.AsMemory(0, used), cancellationToken).ConfigureAwait(false);
            completed = true;

            // Completing the COPY is where the server's verdict (e.g. a unique violation) arrives.
            await stream.DisposeAsync().ConfigureAwait(false);
            return count;
        }
        catch when (!completed)
        {
            await AbortAsync(stream).ConfigureAwait(false);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static int WriteHeader(Span<byte> buffer)
    {
        var encoder = new PgCopyEncoder(buffer);
        encoder.WriteHeader();
        return encoder.Written;
    }

    private static int WriteTrailer(Span<byte> buffer)
    {
        var encoder = new PgCopyEncoder(buffer);
        encoder.WriteTrailer();
        return encoder.Written;
    }

    private static int RowSize(RowBatch batch, int row, bool withOrdinal)
    {
        var size = 2 + (withOrdinal ? 8 : 0);
        foreach (var column in batch.Columns)
        {
            size += column.EncodedLength(row);
        }

        return size;
    }

    private static int WriteRow(Span<byte> destination, RowBatch batch, int row, bool withOrdinal)
    {
        var columns = batch.Columns;
        var encoder = new PgCopyEncoder(destination);
        encoder.StartRow((short)(columns.Length + (withOrdinal ? 1 : 0)));
        if (withOrdinal)
        {
            encoder.WriteInt32(row);
        }

        foreach (var column in columns)
        {
            column.Encode(ref encoder, row);
        }

        return encoder.Written;
    }

    private static async Task AbortAsync(NpgsqlRawCopyStream stream)
    {
        try
        {
            await stream.CancelAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or IOException)
        {
            // The original failure is what matters; the transaction is rolled back either way.
        }
    }
}
