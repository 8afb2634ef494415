using BulkDurable.Ingestion.Payloads;

namespace BulkDurable.Cli.Output;

/// <summary>The format names of the command line and of the upload API: ndjson, json (a JSON array) and csv.</summary>
internal static class PayloadFormatNames
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
}
