using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using BulkDurable.Ingestion.Catalog;
using BulkDurable.Ingestion.Diagnostics;

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
                // A record with a field too many or too few shifts every value after the gap: say
                // so, rather than blame whichever column received a neighbour's value first.
                fault = FieldCountFault(record, fields, position) ?? new RecordFault(column.Field, error, LinesBefore(record, fields.FieldStart));
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

    /// <summary>
    /// Counts the rest of the record's fields (only when a value was refused, so the happy path
    /// splits each record once); returns the field-count fault when the count is not the header's.
    /// </summary>
    private RecordFault? FieldCountFault(ReadOnlySpan<byte> record, CsvFields fields, int counted)
    {
        var total = counted;
        while (fields.TryNext(out _))
        {
            total++;
        }

        if (fields.Error is not null || total == _columnByField.Length)
        {
            return null;
        }

        return total > _columnByField.Length
            ? new RecordFault(null, $"record has {total} fields; the header has {_columnByField.Length}", LinesBefore(record, fields.FieldStart))
            : new RecordFault(null, $"record has {total} field{(total == 1 ? "" : "s")}; the header has {_columnByField.Length}");
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

        if (column.Type is ColumnType.Text or ColumnType.Jsonb)
        {
            return SetText(field, column.Type == ColumnType.Jsonb, batch, (TextColumnBuffer)buffer, row);
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
        where T : struct, IComparable<T>
    {
        ((ValueColumnBuffer<T>)buffer).Set(row, value);
        return null;
    }

    /// <summary>
    /// Keeps a field as UTF-8 in the batch's arena, doubled quotes collapsed; invalid UTF-8 and NUL
    /// are refused, and a jsonb field must be valid JSON (same depth limit as JSON payloads).
    /// </summary>
    private static string? SetText(CsvField field, bool json, RowBatch batch, TextColumnBuffer buffer, int row)
    {
        var destination = batch.RentText(field.Value.Length);
        field.Value.CopyTo(destination);
        var length = field.HasEscapedQuotes ? CollapseDoubledQuotes(destination[..field.Value.Length]) : field.Value.Length;
        var text = destination[..length];
        if (!Utf8.IsValid(text))
        {
            var valid = Utf8.ToUtf16(text, new char[text.Length], out var read, out _, replaceInvalidSequences: false);
            return $"invalid UTF-8 at byte {(valid == OperationStatus.Done ? 0 : read) + 1} of the field";
        }

        if (text.Contains((byte)0))
        {
            return "text cannot contain the NUL character";
        }

        if (json)
        {
            try
            {
                var reader = new Utf8JsonReader(text, new JsonReaderOptions { MaxDepth = JsonRecordParser.MaxDepth });
                while (reader.Read())
                {
                }
            }
            catch (JsonException ex)
            {
                return "invalid JSON: " + ex.Message.Split(". ")[0];
            }

            if (JsonbText.Check(text) is { } jsonbError)
            {
                return jsonbError;
            }
        }

        buffer.Set(row, batch.CommitText(length));
        return null;
    }

    private static int CollapseDoubledQuotes(Span<byte> bytes)
    {
        var write = 0;
        for (var read = 0; read < bytes.Length; read++)
        {
            bytes[write++] = bytes[read];
            if (bytes[read] == (byte)'"' && read + 1 < bytes.Length && bytes[read + 1] == (byte)'"')
            {
                read++;
            }
        }

        return write;
    }

    private static string IntegerError(ReadOnlySpan<byte> value, string type) =>
        ValueParsers.LooksLikeInteger(value) ? $"{Show(value)} is out of range for {type}" : $"'{Show(value)}' is not an integer";

    private static string Show(ReadOnlySpan<byte> value) => InputText.Show(Encoding.UTF8.GetString(value));

    private static int LinesBefore(ReadOnlySpan<byte> record, int index) => record[..Math.Min(index, record.Length)].Count((byte)'\n');
}
