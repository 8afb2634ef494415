using System.Text.Json;

namespace BulkDurable.Ingestion.Records;

/// <summary>
/// What PostgreSQL's <c>jsonb</c> refuses in otherwise valid JSON: the <c>\u0000</c> escape (jsonb
/// strings are text, which cannot hold NUL) and an unpaired UTF-16 surrogate escape. Checked while
/// parsing, like the same rules for text columns, so such a record is rejected with its field
/// instead of failing the database's COPY.
/// </summary>
internal static class JsonbText
{
    /// <summary>Returns why PostgreSQL would refuse <paramref name="json"/> (a valid JSON value), or <see langword="null"/>.</summary>
    public static string? Check(ReadOnlySpan<byte> json)
    {
        // Both faults are escapes; most values have none and are not read again.
        if (json.IndexOf("\\u"u8) < 0)
        {
            return null;
        }

        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = JsonRecordParser.MaxDepth });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName) || !reader.ValueIsEscaped)
                {
                    continue;
                }

                string text;
                try
                {
                    text = reader.GetString()!;
                }
                catch (InvalidOperationException)
                {
                    return "jsonb cannot hold an unpaired UTF-16 surrogate escape (\\uD800-\\uDFFF without its pair)";
                }

                if (text.Contains('\0', StringComparison.Ordinal))
                {
                    return "jsonb cannot hold the NUL character (\\u0000)";
                }
            }
        }
        catch (JsonException)
        {
            // Not valid JSON: the caller's own parsing reports that.
        }

        return null;
    }
}
