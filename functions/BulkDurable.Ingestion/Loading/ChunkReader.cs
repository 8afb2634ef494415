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
/// Reads one chunk (downloading its byte range, only if the payload is unchanged since planning,
/// unless the planner handed its bytes over) and parses it into typed rows with the same scanner
/// that planned it, so record numbers and lines agree.
/// </summary>
internal sealed class ChunkReader(IngestionBlobStore store)
{
    /// <summary>Downloads the chunk's byte range and parses it.</summary>
    public async Task<ParsedChunk> ReadAsync(ChunkDescriptor chunk, PlanContext plan, Dataset dataset, CancellationToken cancellationToken)
    {
        var bytes = ArrayPool<byte>.Shared.Rent(Math.Max(chunk.Length, 1));
        try
        {
            await store.ReadRangeAsync(plan.SourceBlob, chunk.Offset, bytes.AsMemory(0, chunk.Length), new ETag(plan.SourceETag), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(bytes);
            throw;
        }

        return Parse(chunk, bytes.AsMemory(0, chunk.Length), bytes, plan, dataset);
    }

    /// <summary>Parses a chunk whose bytes are at hand (handed over by the planner; the caller keeps owning them).</summary>
    public static ParsedChunk Read(ChunkDescriptor chunk, ReadOnlyMemory<byte> bytes, PlanContext plan, Dataset dataset) =>
        Parse(chunk, bytes, null, plan, dataset);

    private static ParsedChunk Parse(ChunkDescriptor chunk, ReadOnlyMemory<byte> bytes, byte[]? pooledBytes, PlanContext plan, Dataset dataset)
    {
        var parsed = new ParsedChunk(chunk, bytes, pooledBytes, new RowBatch(dataset, chunk.RecordCount, chunk.Length));
        try
        {
            Parse(parsed, plan, dataset);
            parsed.Rows.SortByConflictKey();
            return parsed;
        }
        catch
        {
            parsed.Dispose();
            throw;
        }
    }

    internal static void Parse(ParsedChunk parsed, PlanContext plan, Dataset dataset)
    {
        var chunk = parsed.Chunk;
        var span = parsed.Bytes.Span;
        IRecordParser parser = plan.Format == PayloadFormat.Csv
            ? new CsvRecordParser(dataset, CsvHeader.FromFields(plan.CsvFields ?? [], dataset))
            : new JsonRecordParser(dataset);
        var scanner = RecordScanner.Create(plan.Format, ScanScope.Chunk, dataset.MaxRecordBytes, startOffset: 0, startLine: chunk.FirstLine);
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
