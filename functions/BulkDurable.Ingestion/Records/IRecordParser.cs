namespace BulkDurable.Ingestion.Records;

/// <summary>Parses one record's bytes into the next row of a <see cref="RowBatch"/>.</summary>
internal interface IRecordParser
{
    /// <summary>
    /// Fills row <see cref="RowBatch.Count"/>: sets the values the record gives (a column it does not
    /// give stays null, see <see cref="ColumnBuffer"/>); on failure the caller abandons the row.
    /// </summary>
    bool TryParse(ReadOnlySpan<byte> record, RowBatch batch, out RecordFault fault);
}
