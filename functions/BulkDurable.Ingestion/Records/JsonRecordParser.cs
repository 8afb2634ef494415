using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using BulkDurable.Ingestion.Catalog;
using BulkDurable.Ingestion.Diagnostics;

namespace BulkDurable.Ingestion.Records;

/// <summary>
/// Parses one JSON object (an NDJSON line or a JSON array element) straight into a
/// <see cref="RowBatch"/> row, validating every field against the dataset.
/// </summary>
internal sealed class JsonRecordParser(Dataset dataset) : IRecordParser
{
    /// <summary>Deepest nesting accepted inside a record (jsonb values included).</summary>
    public const int MaxDepth = 64;

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = MaxDepth };

    private readonly IReadOnlyList<Column> _columns = dataset.Columns;
    private readonly Column[] _required = dataset.Columns.Where(c => !c.Nullable).ToArray();

    public bool TryParse(ReadOnlySpan<byte> record, RowBatch batch, out RecordFault fault)
    {
        var reader = new Utf8JsonReader(record, ReaderOptions);
        Span<bool> seen = _columns.Count <= 256 ? stackalloc bool[_columns.Count] : new bool[_columns.Count];
        try
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                fault = new RecordFault(null, $"expected a JSON object, found {Describe(reader.TokenType)}");
                return false;
            }

            var hint = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var column = Match(ref reader, ref hint);
                if (column is null)
                {
                    if (!dataset.IgnoreUnknownFields)
                    {
                        var name = reader.GetString()!;
                        fault = new RecordFault(name, $"unknown field '{InputText.Show(name)}'", LinesBefore(record, reader.TokenStartIndex));
                        return false;
                    }

                    reader.Read();
                    reader.Skip();
                    continue;
                }

                if (seen[column.Ordinal])
                {
                    fault = new RecordFault(column.Field, $"field '{column.Field}' appears twice", LinesBefore(record, reader.TokenStartIndex));
                    return false;
                }

                seen[column.Ordinal] = true;
                reader.Read();
                var error = SetValue(ref reader, record, column, batch);
                if (error is not null)
                {
                    fault = new RecordFault(column.Field, error, LinesBefore(record, reader.TokenStartIndex));
                    return false;
                }
            }

            // Anything after the object other than whitespace makes this throw.
            reader.Read();
        }
        catch (JsonException ex)
        {
            fault = new RecordFault(null, "invalid JSON: " + FirstSentence(ex.Message) + $" (byte {(ex.BytePositionInLine ?? 0) + 1} of the line)", (int)(ex.LineNumber ?? 0));
            return false;
        }

        return HasRequired(seen, out fault);
    }

    /// <summary>
    /// Refuses a record that omits a NOT NULL field. An omitted nullable field needs nothing: its
    /// slot is null until a value is set (<see cref="ColumnBuffer"/>).
    /// </summary>
    private bool HasRequired(ReadOnlySpan<bool> seen, out RecordFault fault)
    {
        foreach (var column in _required)
        {
            if (!seen[column.Ordinal])
            {
                fault = new RecordFault(column.Field, $"missing required field '{column.Field}': the column is NOT NULL");
                return false;
            }
        }

        fault = default;
        return true;
    }

    private Column? Match(ref Utf8JsonReader reader, ref int hint)
    {
        // Records nearly always list their fields in the same order: try the expected one first.
        if (hint < _columns.Count && reader.ValueTextEquals(_columns[hint].FieldUtf8))
        {
            return _columns[hint++];
        }

        for (var i = 0; i < _columns.Count; i++)
        {
            if (reader.ValueTextEquals(_columns[i].FieldUtf8))
            {
                hint = i + 1;
                return _columns[i];
            }
        }

        return null;
    }

    /// <summary>Stores the current value token in the row; returns an error message, or null when stored.</summary>
    private static string? SetValue(ref Utf8JsonReader reader, ReadOnlySpan<byte> record, Column column, RowBatch batch)
    {
        var row = batch.Count;
        var buffer = batch.Columns[column.Ordinal];
        var token = reader.TokenType;
        if (token == JsonTokenType.Null)
        {
            if (!column.Nullable)
            {
                return "null is not allowed: the column is NOT NULL";
            }

            buffer.SetNull(row);
            return null;
        }

        switch (column.Type)
        {
            case ColumnType.Text:
                if (token != JsonTokenType.String)
                {
                    return $"expected a string, found {Describe(token)}";
                }

                return StoreText(ref reader, batch, (TextColumnBuffer)buffer, row);

            case ColumnType.Int:
                if (token != JsonTokenType.Number)
                {
                    return $"expected an integer, found {Describe(token)}";
                }

                if (!reader.TryGetInt32(out var i32))
                {
                    return NumberError(reader.ValueSpan, "integer");
                }

                ((ValueColumnBuffer<int>)buffer).Set(row, i32);
                return null;

            case ColumnType.Bigint:
                if (token != JsonTokenType.Number)
                {
                    return $"expected an integer, found {Describe(token)}";
                }

                if (!reader.TryGetInt64(out var i64))
                {
                    return NumberError(reader.ValueSpan, "bigint");
                }

                ((ValueColumnBuffer<long>)buffer).Set(row, i64);
                return null;

            case ColumnType.Numeric:
                if (token != JsonTokenType.Number)
                {
                    return $"expected a number, found {Describe(token)}";
                }

                if (!reader.TryGetDecimal(out var dec))
                {
                    return $"{Encoding.UTF8.GetString(reader.ValueSpan)} is out of range for numeric (at most 28 significant digits)";
                }

                ((ValueColumnBuffer<decimal>)buffer).Set(row, dec);
                return null;

            case ColumnType.Double:
                double dbl;
                if (token == JsonTokenType.Number)
                {
                    if (!reader.TryGetDouble(out dbl) || !double.IsFinite(dbl))
                    {
                        return $"{Encoding.UTF8.GetString(reader.ValueSpan)} is out of range for double precision";
                    }
                }
                else if (token != JsonTokenType.String || !TryParseString<double>(ref reader, ValueParsers.TryParseDouble, out dbl) || double.IsFinite(dbl))
                {
                    // Strings carry only what JSON numbers cannot: NaN and the infinities.
                    return $"expected a number, found {Describe(token)}";
                }

                ((ValueColumnBuffer<double>)buffer).Set(row, dbl);
                return null;

            case ColumnType.Bool:
                if (token is not (JsonTokenType.True or JsonTokenType.False))
                {
                    return $"expected true or false, found {Describe(token)}";
                }

                ((ValueColumnBuffer<bool>)buffer).Set(row, token == JsonTokenType.True);
                return null;

            case ColumnType.Timestamptz:
                if (token != JsonTokenType.String || !TryParseString<DateTime>(ref reader, ValueParsers.TryParseTimestamp, out var timestamp))
                {
                    return token == JsonTokenType.String
                        ? $"'{InputText.Show(reader.GetString())}' is not a valid timestamp (expected ISO 8601, e.g. 2024-05-01T12:30:00Z)"
                        : $"expected a timestamp string, found {Describe(token)}";
                }

                ((ValueColumnBuffer<DateTime>)buffer).Set(row, timestamp);
                return null;

            case ColumnType.Date:
                if (token != JsonTokenType.String || !TryParseString<DateOnly>(ref reader, ValueParsers.TryParseDate, out var date))
                {
                    return token == JsonTokenType.String
                        ? $"'{InputText.Show(reader.GetString())}' is not a valid date (expected YYYY-MM-DD)"
                        : $"expected a date string, found {Describe(token)}";
                }

                ((ValueColumnBuffer<DateOnly>)buffer).Set(row, date);
                return null;

            case ColumnType.Uuid:
                if (token != JsonTokenType.String || !TryParseString<Guid>(ref reader, ValueParsers.TryParseUuid, out var uuid))
                {
                    return token == JsonTokenType.String
                        ? $"'{InputText.Show(reader.GetString())}' is not a valid UUID"
                        : $"expected a UUID string, found {Describe(token)}";
                }

                ((ValueColumnBuffer<Guid>)buffer).Set(row, uuid);
                return null;

            case ColumnType.Jsonb:
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                var raw = record[start..(int)reader.BytesConsumed];
                if (!Utf8.IsValid(raw))
                {
                    return "invalid UTF-8 in the JSON value";
                }

                if (JsonbText.Check(raw) is { } jsonbError)
                {
                    return jsonbError;
                }

                ((TextColumnBuffer)buffer).Set(row, batch.AddText(raw));
                return null;

            default:
                throw new InvalidOperationException($"Unhandled column type {column.Type}.");
        }
    }

    /// <summary>
    /// Keeps a string as UTF-8: copied as is when it has no escapes, unescaped otherwise; invalid
    /// UTF-8 and NUL (which PostgreSQL text cannot hold) are refused.
    /// </summary>
    private static string? StoreText(ref Utf8JsonReader reader, RowBatch batch, TextColumnBuffer buffer, int row)
    {
        if (!reader.ValueIsEscaped)
        {
            if (!Utf8.IsValid(reader.ValueSpan))
            {
                return "invalid UTF-8 in the string";
            }

            buffer.Set(row, batch.AddText(reader.ValueSpan));
            return null;
        }

        var destination = batch.RentText(reader.ValueSpan.Length);
        int written;
        try
        {
            written = reader.CopyString(destination);
        }
        catch (InvalidOperationException)
        {
            return "invalid escape sequence or UTF-8 in the string";
        }

        var text = destination[..written];
        if (text.Contains((byte)0))
        {
            return "text cannot contain the NUL character (\\u0000)";
        }

        if (!Utf8.IsValid(text))
        {
            return "invalid UTF-8 in the string";
        }

        buffer.Set(row, batch.CommitText(written));
        return null;
    }

    private delegate bool Utf8Parser<T>(ReadOnlySpan<byte> text, out T value);

    private static bool TryParseString<T>(ref Utf8JsonReader reader, Utf8Parser<T> parse, out T value)
    {
        if (!reader.ValueIsEscaped)
        {
            return parse(reader.ValueSpan, out value);
        }

        Span<byte> unescaped = stackalloc byte[64];
        if (reader.ValueSpan.Length > unescaped.Length)
        {
            value = default!;
            return false;
        }

        var length = reader.CopyString(unescaped);
        return parse(unescaped[..length], out value);
    }

    private static string NumberError(ReadOnlySpan<byte> text, string type) =>
        ValueParsers.LooksLikeInteger(text)
            ? $"{Encoding.UTF8.GetString(text)} is out of range for {type}"
            : $"{InputText.Show(Encoding.UTF8.GetString(text))} is not an integer";

    private static int LinesBefore(ReadOnlySpan<byte> record, long index) => record[..(int)Math.Min(index, record.Length)].Count((byte)'\n');

    internal static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.None => "nothing",
        _ => token.ToString(),
    };

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message.TrimEnd('.') : message[..end];
    }
}
