using BulkDurable.Ingestion.Records;
using Npgsql;
using NpgsqlTypes;

namespace BulkDurable.Ingestion.Loading;

/// <summary>Streams a <see cref="RowBatch"/> into PostgreSQL with binary COPY.</summary>
internal static class RowCopier
{
    /// <summary>Copies every row; with <paramref name="withOrdinal"/>, each row is prefixed with its batch index.</summary>
    public static async Task<ulong> CopyAsync(NpgsqlConnection connection, string copyCommand, RowBatch batch, bool withOrdinal, CancellationToken cancellationToken)
    {
        var importer = await connection.BeginBinaryImportAsync(copyCommand, cancellationToken).ConfigureAwait(false);
        await using (importer.ConfigureAwait(false))
        {
            var columns = batch.Columns;
            for (var row = 0; row < batch.Count; row++)
            {
                await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                if (withOrdinal)
                {
                    await importer.WriteAsync(row, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                }

                foreach (var column in columns)
                {
                    await column.WriteAsync(importer, row, cancellationToken).ConfigureAwait(false);
                }
            }

            return await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
