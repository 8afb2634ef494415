using System.Text.Json.Serialization;

namespace BulkDurable.Ingestion.Records;

/// <summary>
/// A submitted record that was not loaded, as written to the job's failed-records file (one JSON
/// object per line).
/// </summary>
/// <param name="RecordNumber">1-based position of the record in the payload (a CSV header is not a record).</param>
/// <param name="Line">1-based line of the payload where the fault is.</param>
/// <param name="Field">The field at fault, or <see langword="null"/>.</param>
/// <param name="Error">Why the record was rejected.</param>
/// <param name="Record">The record's original text (its first bytes, when <see cref="Truncated"/>).</param>
/// <param name="Truncated">Whether <see cref="Record"/> holds only the start of an oversized record.</param>
public sealed record RejectedRecord(
    [property: JsonPropertyName("recordNumber")] long RecordNumber,
    [property: JsonPropertyName("line")] long Line,
    [property: JsonPropertyName("field")] string? Field,
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("record")] string Record,
    [property: JsonPropertyName("truncated"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool Truncated = false);
