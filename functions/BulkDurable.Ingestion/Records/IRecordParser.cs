namespace BulkDurable.Ingestion.Records;

/// <summary>Parses one record's bytes into the next row of a <see cref="RowBatch"/>.</summary>
internal interface IRecordParser
{
    /// <summary>Fills row <see cref="RowBatch.Count"/>; on failure the row's contents are undefined.</summary>
    bool TryParse(ReadOnlySpan<byte> record, RowBatch batch, out RecordFault fault);
}
