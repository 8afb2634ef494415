using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using BulkDurable.Ingestion.Catalog;
using BulkDurable.Ingestion.Payloads;

namespace BulkDurable.Ingestion.Synthetic;

/// <summary>
/// Writes deterministic synthetic records for any dataset (demos, benchmarks, tests). Record
/// <c>i</c> always has the same key, so payloads are reproducible and keys never repeat within one
/// payload: with one key column the key is <c>i</c>, with two it is (<c>i % 1000</c>, <c>i / 1000</c>).
/// Other values come from a seeded generator; text values include commas, quotes, line breaks and
/// non-ASCII characters so that every format's quoting is exercised.
/// </summary>
public sealed class SyntheticRecordWriter
{
    private static readonly string?[] Notes =
    [
        "ok", "battery low, replace soon", "said \"hello\"", "first line\nsecond line", "ünïcödé ✓", "", "calibrated", "tab\there",
    ];

    private static readonly DateTime Epoch = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private readonly Dataset _dataset;
    private readonly PayloadFormat _format;
    private readonly int _seed;

    /// <summary>Creates a writer.</summary>
    /// <param name="dataset">The dataset whose columns the records fill.</param>
    /// <param name="format">The payload format.</param>
    /// <param name="seed">Seed of the non-key values.</param>
    public SyntheticRecordWriter(Dataset dataset, PayloadFormat format, int seed = 42)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        _dataset = dataset;
        _format = format;
        _seed = seed;
    }

    /// <summary>Writes records <paramref name="first"/> to <paramref name="first"/> + <paramref name="count"/> - 1 as a complete payload.</summary>
    public async Task WriteAsync(Stream destination, long count, long first = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var random = new Random(_seed ^ (int)first);
        var buffer = new ArrayBufferWriter<byte>(1 << 20);
        var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true });
        if (_format == PayloadFormat.Csv)
        {
            Write(buffer, string.Join(",", _dataset.Columns.Select(c => CsvQuote(c.Field))) + "\n");
        }
        else if (_format == PayloadFormat.JsonArray)
        {
            Write(buffer, "[\n");
        }

        for (var i = first; i < first + count; i++)
        {
            if (_format == PayloadFormat.Csv)
            {
                WriteCsvRecord(buffer, i, random);
            }
            else
            {
                WriteJsonRecord(json, buffer, i, random);
                Write(buffer, _format == PayloadFormat.JsonArray && i < first + count - 1 ? ",\n" : "\n");
            }

            if (buffer.WrittenCount > 512 * 1024)
            {
                await destination.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
                buffer.ResetWrittenCount();
            }
        }

        if (_format == PayloadFormat.JsonArray)
        {
            Write(buffer, "]\n");
        }

        await destination.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        await destination.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The value record <paramref name="index"/> has in <paramref name="column"/>, as the JSON formats write it (null for SQL NULL).</summary>
    private object? Value(Column column, long index, Random random)
    {
        var keyPosition = IndexOf(_dataset.ConflictKey, column);
        if (keyPosition >= 0)
        {
            var n = _dataset.ConflictKey.Count == 1 ? index : keyPosition == 0 ? index % 1000 : keyPosition == 1 ? index / 1000 : 0;
            return KeyValue(column, n);
        }

        if (column.Nullable && random.NextDouble() < 0.05)
        {
            return null;
        }

        return column.Type switch
        {
            ColumnType.Text => Notes[random.Next(Notes.Length)],
            ColumnType.Int => random.Next(-1_000_000, 1_000_000),
            ColumnType.Bigint => random.NextInt64(-1_000_000_000_000, 1_000_000_000_000),
            ColumnType.Numeric => Math.Round((decimal)(random.NextDouble() * 10_000), 4),
            ColumnType.Double => Math.Round(random.NextDouble() * 200 - 100, 3),
            ColumnType.Bool => random.Next(2) == 1,
            ColumnType.Timestamptz => Epoch.AddSeconds(random.Next(0, 365 * 24 * 3600)),
            ColumnType.Date => DateOnly.FromDateTime(Epoch).AddDays(random.Next(0, 3650)),
            ColumnType.Uuid => new Guid(random.Next(), (short)random.Next(), (short)random.Next(), 1, 2, 3, 4, 5, 6, 7, 8),
            ColumnType.Jsonb => new JsonbValue($"{{\"level\":{random.Next(10)},\"tags\":[\"a\",\"b\"]}}"),
            _ => throw new InvalidOperationException($"Unhandled column type {column.Type}."),
        };
    }

    private static object KeyValue(Column column, long n) => column.Type switch
    {
        ColumnType.Text => $"{(column.Name.EndsWith("_id", StringComparison.Ordinal) ? column.Name[..^3] : column.Name)}-{n.ToString("D4", CultureInfo.InvariantCulture)}",
        ColumnType.Int => (int)n,
        ColumnType.Bigint => n,
        ColumnType.Numeric => (decimal)n,
        ColumnType.Double => (double)n,
        ColumnType.Bool => n % 2 == 1,
        ColumnType.Timestamptz => Epoch.AddSeconds(n),
        ColumnType.Date => DateOnly.FromDateTime(Epoch).AddDays((int)n),
        ColumnType.Uuid => new Guid((int)(n >> 32), (short)(n >> 16), (short)n, 0, 0, 0, 0, 0, 0, 0, 1),
        ColumnType.Jsonb => new JsonbValue($"{{\"key\":{n}}}"),
        _ => throw new InvalidOperationException($"Unhandled column type {column.Type}."),
    };

    private void WriteJsonRecord(Utf8JsonWriter json, ArrayBufferWriter<byte> buffer, long index, Random random)
    {
        json.Reset(buffer);
        json.WriteStartObject();
        foreach (var column in _dataset.Columns)
        {
            json.WritePropertyName(column.Field);
            switch (Value(column, index, random))
            {
                case null: json.WriteNullValue(); break;
                case string s: json.WriteStringValue(s); break;
                case int v: json.WriteNumberValue(v); break;
                case long v: json.WriteNumberValue(v); break;
                case decimal v: json.WriteNumberValue(v); break;
                case double v: json.WriteNumberValue(v); break;
                case bool v: json.WriteBooleanValue(v); break;
                case DateTime v: json.WriteStringValue(v.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)); break;
                case DateOnly v: json.WriteStringValue(v.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)); break;
                case Guid v: json.WriteStringValue(v); break;
                case JsonbValue v: json.WriteRawValue(v.Json, skipInputValidation: true); break;
                default: throw new InvalidOperationException("Unhandled value.");
            }
        }

        json.WriteEndObject();
        json.Flush();
    }

    private void WriteCsvRecord(ArrayBufferWriter<byte> buffer, long index, Random random)
    {
        var line = new StringBuilder(128);
        foreach (var column in _dataset.Columns)
        {
            if (column.Ordinal > 0)
            {
                line.Append(',');
            }

            line.Append(Value(column, index, random) switch
            {
                null => "",
                string s => CsvQuote(s),
                IFormattable f when f is DateTime d => d.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                bool b => b ? "true" : "false",
                JsonbValue j => CsvQuote(j.Json),
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                var other => other.ToString(),
            });
        }

        line.Append('\n');
        Write(buffer, line.ToString());
    }

    /// <summary>Quotes a CSV field when needed; an empty string is quoted so that it is not read as null.</summary>
    private static string CsvQuote(string value) =>
        value.Length == 0 || value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;

    private static void Write(ArrayBufferWriter<byte> buffer, string text) => Encoding.UTF8.GetBytes(text, buffer);

    private static int IndexOf(IReadOnlyList<Column> columns, Column column)
    {
        for (var i = 0; i < columns.Count; i++)
        {
            if (ReferenceEquals(columns[i], column))
            {
                return i;
            }
        }

        return -1;
    }

    private sealed record JsonbValue(string Json);
}
