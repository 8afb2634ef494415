namespace BulkDurable.Ingestion.Payloads;

/// <summary>The record formats a payload can be in.</summary>
public enum PayloadFormat
{
    /// <summary>One JSON object per line (<c>application/x-ndjson</c>).</summary>
    Ndjson,

    /// <summary>A JSON array of objects (<c>application/json</c>).</summary>
    JsonArray,

    /// <summary>Comma-separated values with a header row, RFC 4180 quoting (<c>text/csv</c>).</summary>
    Csv,
}
