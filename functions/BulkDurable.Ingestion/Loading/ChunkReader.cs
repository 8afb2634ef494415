using System.Buffers;
using Azure;
using BulkDurable.Ingestion.Catalog;
using BulkDurable.Ingestion.Payloads;
using BulkDurable.Ingestion.Payloads.Scanning;
using BulkDurable.Ingestion.Planning;
using BulkDurable.Ingestion.Records;
using BulkDurable.Ingestion.Staging;

namespace BulkDurable.Ingestion.Loading;

/// <summary>
/// Downloads one chunk's byte range (only if the payload is unchanged since planning) and parses it
/// into typed rows with the same scanner that planned it, so record numbers and lines agree.
/// </summary>
internal sealed class ChunkReader(IngestionBlobStore store)
{
    public async Task<ParsedChunk> ReadAsync(ChunkDescriptor chunk, JobManifest manifest, Dataset dataset, CancellationToken cancellationToken)
    {
        var bytes = ArrayPool<byte>.Shared.Rent(Math.Max(chunk.Length, 1));
        try
        {
            await store.ReadRangeAsync(manifest.SourceBlob, chunk.Offset, bytes.AsMemory(0, chunk.Length), new ETag(manifest.SourceETag), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(bytes);
            throw;
        }

        var parsed = new ParsedChunk(chunk, bytes, new RowBatch(dataset, chunk.RecordCount, chunk.Length));
        try
        {
            Parse(parsed, manifest, dataset);
            parsed.Rows.SortByConflictKey();
            return parsed;
        }
        catch
        {
            parsed.Dispose();
            throw;
        }
    }

    internal static void Parse(ParsedChunk parsed, JobManifest manifest, Dataset dataset)
    {
        var chunk = parsed.Chunk;
        var span = parsed.Bytes.Span;
        IRecordParser parser = manifest.Format == PayloadFormat.Csv
            ? new CsvRecordParser(dataset, CsvHeader.FromFields(manifest.CsvFields ?? [], dataset))
            : new JsonRecordParser(dataset);
        var scanner = RecordScanner.Create(manifest.Format, ScanScope.Chunk, dataset.MaxRecordBytes, startOffset: 0, startLine: chunk.FirstLine);
        var batch = parsed.Rows;
        var recordNumber = chunk.FirstRecord;
        while (scanner.Next(span, 0, isFinal: true, out var record) == ScanStatus.Found)
        {
            var source = new Range((int)record.Start, (int)(record.Start + record.Length));
            if (record.Kind != ScannedRecordKind.Record)
            {
                parsed.Rejections.Add(new Rejection(recordNumber++, record.Line, null, record.Error ?? "record cannot be read", source));
                continue;
            }

            batch.BeginRow();
            if (parser.TryParse(span[source], batch, out var fault))
            {
                batch.CommitRow(recordNumber++, record.Line, source.Start.Value, source.End.Value - source.Start.Value);
            }
            else
            {
                batch.AbandonRow();
                parsed.Rejections.Add(new Rejection(recordNumber++, record.Line + fault.LineOffset, fault.Field, fault.Message, source));
            }
        }

        var found = recordNumber - chunk.FirstRecord;
        if (found != chunk.RecordCount)
        {
            throw new InvalidOperationException(
                $"Chunk {chunk.Index} of job {chunk.JobId} holds {found} records where the plan says {chunk.RecordCount}; the plan or the payload is corrupt.");
        }
    }
}
