namespace BulkDurable.Ingestion.Payloads;

/// <summary>Maps media types and file names to payload formats.</summary>
public static class PayloadFormats
{
    /// <summary>The media types accepted for request bodies, by format.</summary>
    public static IReadOnlyDictionary<string, PayloadFormat> MediaTypes { get; } = new Dictionary<string, PayloadFormat>(StringComparer.OrdinalIgnoreCase)
    {
        ["application/x-ndjson"] = PayloadFormat.Ndjson,
        ["application/ndjson"] = PayloadFormat.Ndjson,
        ["application/jsonl"] = PayloadFormat.Ndjson,
        ["application/json"] = PayloadFormat.JsonArray,
        ["text/csv"] = PayloadFormat.Csv,
    };

    /// <summary>The canonical media type of a format.</summary>
    public static string ToMediaType(this PayloadFormat format) => format switch
    {
        PayloadFormat.Ndjson => "application/x-ndjson",
        PayloadFormat.JsonArray => "application/json",
        PayloadFormat.Csv => "text/csv",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    /// <summary>
    /// Reads a <c>Content-Type</c> header value. Parameters are allowed, but a <c>charset</c> other
    /// than UTF-8 is not: payloads are UTF-8.
    /// </summary>
    public static bool TryFromContentType(string? contentType, out PayloadFormat format)
    {
        format = default;
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return false;
        }

        var parts = contentType.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        foreach (var parameter in parts.Skip(1))
        {
            var pair = parameter.Split('=', 2, StringSplitOptions.TrimEntries);
            if (pair[0].Equals("charset", StringComparison.OrdinalIgnoreCase)
                && pair.Length == 2
                && !pair[1].Trim('"').Equals("utf-8", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return parts.Length > 0 && MediaTypes.TryGetValue(parts[0], out format);
    }

    /// <summary>Reads a <c>Content-Encoding</c> header value: empty, <c>identity</c> or <c>gzip</c>.</summary>
    public static bool TryFromContentEncoding(string? contentEncoding, out PayloadCompression compression)
    {
        compression = PayloadCompression.None;
        var value = contentEncoding?.Trim();
        if (string.IsNullOrEmpty(value) || value.Equals("identity", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (value.Equals("gzip", StringComparison.OrdinalIgnoreCase) || value.Equals("x-gzip", StringComparison.OrdinalIgnoreCase))
        {
            compression = PayloadCompression.Gzip;
            return true;
        }

        return false;
    }

    /// <summary>Guesses format and compression from a file name (<c>.ndjson</c>, <c>.jsonl</c>, <c>.json</c>, <c>.csv</c>, optionally <c>.gz</c>).</summary>
    public static bool TryFromFileName(string fileName, out PayloadFormat format, out PayloadCompression compression)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        compression = PayloadCompression.None;
        var name = fileName;
        if (name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            compression = PayloadCompression.Gzip;
            name = name[..^3];
        }

        var extension = Path.GetExtension(name).ToUpperInvariant();
        (var known, format) = extension switch
        {
            ".NDJSON" or ".JSONL" => (true, PayloadFormat.Ndjson),
            ".JSON" => (true, PayloadFormat.JsonArray),
            ".CSV" => (true, PayloadFormat.Csv),
            _ => (false, PayloadFormat.Ndjson),
        };
        return known;
    }
}
