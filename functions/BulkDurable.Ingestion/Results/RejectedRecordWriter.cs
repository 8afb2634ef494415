using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using BulkDurable.Ingestion.Records;
using BulkDurable.Ingestion.Serialization;

namespace BulkDurable.Ingestion.Results;

/// <summary>Writes rejected records as NDJSON (one JSON object per line) to a stream.</summary>
internal sealed class RejectedRecordWriter(Stream destination) : IAsyncDisposable
{
    /// <summary>Longest original record text kept in the file; longer ones are truncated and marked so.</summary>
    public const int MaxRecordText = 64 * 1024;

    private static readonly byte[] Newline = "\n"u8.ToArray();

    // Relaxed escaping keeps quotes and apostrophes readable in the file; it is data, never HTML.
    private readonly Utf8JsonWriter _json = new(destination, new JsonWriterOptions { SkipValidation = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    public long Count { get; private set; }

    /// <summary>Writes one record; the original text is decoded leniently (invalid UTF-8 shows as U+FFFD).</summary>
    public async ValueTask WriteAsync(long recordNumber, long line, string? field, string error, ReadOnlyMemory<byte> original, bool truncated, CancellationToken cancellationToken)
    {
        var text = original.Length > MaxRecordText ? original[..MaxRecordText] : original;
        var record = new RejectedRecord(recordNumber, line, field, error, Encoding.UTF8.GetString(text.Span), truncated || text.Length < original.Length);
        JsonSerializer.Serialize(_json, record, IngestionJsonContext.Default.RejectedRecord);
        await _json.FlushAsync(cancellationToken).ConfigureAwait(false);
        _json.Reset();
        await destination.WriteAsync(Newline, cancellationToken).ConfigureAwait(false);
        Count++;
    }

    public async ValueTask DisposeAsync() => await _json.DisposeAsync().ConfigureAwait(false);
}
