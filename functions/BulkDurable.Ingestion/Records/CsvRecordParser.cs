using System.Buffers;
using System.Text;
using System.Text.Unicode;
using BulkDurable.Ingestion.Catalog;

namespace BulkDurable.Ingestion.Records;

/// <summary>
/// Parses one CSV record into a <see cref="RowBatch"/> row. An empty unquoted field is null (as in
/// PostgreSQL's CSV format) and a quoted empty field is the empty string. Values other than text
/// may be surrounded by spaces.
/// </summary>
internal sealed class CsvRecordParser(Dataset dataset, CsvHeader header) : IRecordParser
{
    private readonly IReadOnlyList<Column> _columns = dataset.Columns;
    private readonly int[] _columnByField = header.ColumnByField;

    public bool TryParse(ReadOnlySpan<byte> record, RowBatch batch, out RecordFault fault)
    {
        var fields = new CsvFields(record);
        var position = 0;
        while (fields.TryNext(out var field))
        {
            if (position >= _columnByField.Length)
            {
                fault = new RecordFault(null, $"record has more fields than the header's {_columnByField.Length}", LinesBefore(record, fields.FieldStart));
                return false;
            }

            var ordinal = _columnByField[position++];
            if (ordinal < 0)
            {
                continue;
            }

            var column = _columns[ordinal];
            var error = SetValue(field, column, batch);
            if (error is not null)
            {
                fault = new RecordFault(column.Field, error, LinesBefore(record, fields.FieldStart));
                return false;
            }
        }

        if (fields.Error is not null)
        {
            fault = new RecordFault(null, fields.Error, LinesBefore(record, fields.FieldStart));
            return false;
        }

        if (position != _columnByField.Length)
        {
            fault = new RecordFault(null, $"record has {position} field{(position == 1 ? "" : "s")}; the header has {_columnByField.Length}");
            return false;
        }

        fault = default;
        return true;
    }

    private static string? SetValue(CsvField field, Column column, RowBatch batch)
    {
        var row = batch.Count;
        var buffer = batch.Columns[column.Ordinal];
        if (field.Value.IsEmpty && !field.Quoted)
        {
            if (!column.Nullable)
            {
                return "empty field: the column is NOT NULL (write \"\" for an empty string)";
            }

            buffer.SetNull(row);
            return null;
        }

        if (column.Type is ColumnType.Text)
        {
            return TryTranscode(field, batch, out var text) ?? Set(buffer, row, text);
        }

        if (column.Type is ColumnType.Jsonb)
        {
            return SetJson(field, batch, buffer, row);
        }

        var value = field.Value.Trim(" \t"u8);
        switch (column.Type)
        {
            case ColumnType.Int:
                return ValueParsers.TryParseInt32(value, out var i32) ? Set(buffer, row, i32) : IntegerError(value, "integer");
            case ColumnType.Bigint:
                return ValueParsers.TryParseInt64(value, out var i64) ? Set(buffer, row, i64) : IntegerError(value, "bigint");
            case ColumnType.Numeric:
                return ValueParsers.TryParseDecimal(value, out var dec) ? Set(buffer, row, dec) : $"'{Show(value)}' is not a valid numeric or is out of range (at most 28 significant digits)";
            case ColumnType.Double:
                return ValueParsers.TryParseDouble(value, out var dbl) ? Set(buffer, row, dbl) : $"'{Show(value)}' is not a valid double precision number or is out of range";
            case ColumnType.Bool:
                return ValueParsers.TryParseBool(value, out var flag) ? Set(buffer, row, flag) : $"'{Show(value)}' is not a boolean (true/false, t/f, yes/no, 1/0)";
            case ColumnType.Timestamptz:
                return ValueParsers.TryParseTimestamp(value, out var timestamp) ? Set(buffer, row, timestamp) : $"'{Show(value)}' is not a valid timestamp (expected ISO 8601, e.g. 2024-05-01T12:30:00Z)";
            case ColumnType.Date:
                return ValueParsers.TryParseDate(value, out var date) ? Set(buffer, row, date) : $"'{Show(value)}' is not a valid date (expected YYYY-MM-DD)";
            case ColumnType.Uuid:
                return ValueParsers.TryParseUuid(value, out var uuid) ? Set(buffer, row, uuid) : $"'{Show(value)}' is not a valid UUID";
            default:
                throw new InvalidOperationException($"Unhandled column type {column.Type}.");
        }
    }

    private static string? Set<T>(ColumnBuffer buffer, int row, T value)
    {
        ((ColumnBuffer<T>)buffer).Set(row, value);
        return null;
    }

    /// <summary>Decodes a field into the batch's text arena, strictly: invalid UTF-8 and NUL are errors.</summary>
    private static string? TryTranscode(CsvField field, RowBatch batch, out ReadOnlyMemory<char> text)
    {
        text = default;
        var chars = batch.RentText(field.Value.Length);
        if (Utf8.ToUtf16(field.Value, chars, out var read, out var written, replaceInvalidSequences: false) != OperationStatus.Done)
        {
            return $"invalid UTF-8 at byte {read + 1} of the field";
        }

        if (field.HasEscapedQuotes)
        {
            written = CollapseDoubledQuotes(chars[..written]);
        }

        if (chars[..written].Contains('\0'))
        {
            return "text cannot contain the NUL character";
        }

        text = batch.CommitText(written);
        return null;
    }

    private static string? SetJson(CsvField field, RowBatch batch, ColumnBuffer buffer, int row)
    {
        var error = TryTranscode(field, batch, out var text);
        if (error is not null)
        {
            return error;
        }

        // Validate with the same reader and depth limit as JSON payloads.
        var utf8 = field.HasEscapedQuotes ? Encoding.UTF8.GetBytes(text.Span.ToArray()) : field.Value.ToArray();
        try
        {
            var reader = new System.Text.Json.Utf8JsonReader(utf8, new System.Text.Json.JsonReaderOptions { MaxDepth = JsonRecordParser.MaxDepth });
            while (reader.Read())
            {
            }
        }
        catch (System.Text.Json.JsonException ex)
        {
            return "invalid JSON: " + ex.Message.Split(". ")[0];
        }

        ((ColumnBuffer<ReadOnlyMemory<char>>)buffer).Set(row, text);
        return null;
    }

    private static int CollapseDoubledQuotes(Span<char> chars)
    {
        var write = 0;
        for (var read = 0; read < chars.Length; read++)
        {
            chars[write++] = chars[read];
            if (chars[read] == '"' && read + 1 < chars.Length && chars[read + 1] == '"')
            {
                read++;
            }
        }

        return write;
    }

    private static string IntegerError(ReadOnlySpan<byte> value, string type) =>
        ValueParsers.LooksLikeInteger(value) ? $"{Show(value)} is out of range for {type}" : $"'{Show(value)}' is not an integer";

    private static string Show(ReadOnlySpan<byte> value) => JsonRecordParser.Shorten(Encoding.UTF8.GetString(value));

    private static int LinesBefore(ReadOnlySpan<byte> record, int index) => record[..Math.Min(index, record.Length)].Count((byte)'\n');
}
