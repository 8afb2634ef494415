namespace BulkDurable.Ingestion.Payloads;

/// <summary>
/// The format and compression names of the upload API (<c>{"uploadId", "format", "compression"}</c>)
/// and of the command line: ndjson, json (a JSON array) and csv; none and gzip.
/// </summary>
public static class PayloadFormatNames
{
    /// <summary>Every name, for option validation and help.</summary>
    public static readonly string[] All = ["ndjson", "json", "csv"];

    /// <summary>The format a name stands for.</summary>
    public static PayloadFormat Parse(string name) => name switch
    {
        "ndjson" => PayloadFormat.Ndjson,
        "json" => PayloadFormat.JsonArray,
        "csv" => PayloadFormat.Csv,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, $"Unknown format; use {string.Join(", ", All)}."),
    };

    /// <summary>The name of a format.</summary>
    public static string ToName(this PayloadFormat format) => format switch
    {
        PayloadFormat.Ndjson => "ndjson",
        PayloadFormat.JsonArray => "json",
        PayloadFormat.Csv => "csv",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    /// <summary>The name of a compression, as the upload API spells it.</summary>
    public static string ToName(this PayloadCompression compression) => compression == PayloadCompression.Gzip ? "gzip" : "none";

    /// <summary>Reads a format name in any case (<c>jsonl</c> is NDJSON too); false for anything else.</summary>
    public static bool TryParse(string? name, out PayloadFormat format)
    {
        switch (name?.Trim().ToUpperInvariant())
        {
            case "NDJSON" or "JSONL":
                format = PayloadFormat.Ndjson;
                return true;
            case "JSON":
                format = PayloadFormat.JsonArray;
                return true;
            case "CSV":
                format = PayloadFormat.Csv;
                return true;
            default:
                format = default;
                return false;
        }
    }
}
