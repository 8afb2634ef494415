using System.Text;
using BulkDurable.Ingestion.Catalog;
using BulkDurable.Ingestion.Records;

namespace BulkDurable.Ingestion.Tests.Records;

public sealed class RecordParserTests
{
    private static (bool Ok, RecordFault Fault, RowBatch Batch) ParseJson(string record, Dataset? dataset = null)
    {
        dataset ??= Datasets.AllTypes();
        var batch = new RowBatch(dataset, 4, 4096);
        batch.BeginRow();
        var ok = new JsonRecordParser(dataset).TryParse(Encoding.UTF8.GetBytes(record), batch, out var fault);
        return (ok, fault, batch);
    }

    private static (bool Ok, RecordFault Fault, RowBatch Batch) ParseCsv(string header, string record)
    {
        var dataset = Datasets.AllTypes();
        Assert.True(CsvHeader.TryParse(Encoding.UTF8.GetBytes(header), 1, dataset, out var csvHeader, out _));
        var batch = new RowBatch(dataset, 4, 4096);
        batch.BeginRow();
        var ok = new CsvRecordParser(dataset, csvHeader).TryParse(Encoding.UTF8.GetBytes(record), batch, out var fault);
        return (ok, fault, batch);
    }

    private static bool ParseCsvInto(RowBatch batch, string header, string record)
    {
        Assert.True(CsvHeader.TryParse(Encoding.UTF8.GetBytes(header), 1, batch.Dataset, out var csvHeader, out _));
        return new CsvRecordParser(batch.Dataset, csvHeader).TryParse(Encoding.UTF8.GetBytes(record), batch, out _);
    }

    private static T Value<T>(RowBatch batch, string column)
        where T : struct, IComparable<T> =>
        ((ValueColumnBuffer<T>)batch.Columns[batch.Dataset.Columns.Single(c => c.Name == column).Ordinal]).Get(0);

    private static string Text(RowBatch batch, string column, int row = 0) =>
        Encoding.UTF8.GetString(((TextColumnBuffer)batch.Columns[batch.Dataset.Columns.Single(c => c.Name == column).Ordinal]).Get(row));

    [Fact]
    public void A_json_record_fills_every_column_type()
    {
        var (ok, _, batch) = ParseJson("""
            {"id":7,"name":"caf\u00e9 \"x\"","count":-3,"amount":12.345,"ratio":0.5,"active":true,"at":"2024-01-02T03:04:05Z",
             "day":"2024-01-02","uid":"6f9619ff-8b86-d011-b42d-00cf4fc964ff","doc":{"k":[1,2]},"displayName":"Seven"}
            """);

        Assert.True(ok);
        Assert.Equal(7L, Value<long>(batch, "id"));
        Assert.Equal("café \"x\"", Text(batch, "name"));
        Assert.Equal(-3, Value<int>(batch, "count"));
        Assert.Equal(12.345m, Value<decimal>(batch, "amount"));
        Assert.True(Value<bool>(batch, "active"));
        Assert.Equal(new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc), Value<DateTime>(batch, "at"));
        Assert.Equal(new DateOnly(2024, 1, 2), Value<DateOnly>(batch, "day"));
        Assert.Equal("{\"k\":[1,2]}", Text(batch, "doc"));
        Assert.Equal("Seven", Text(batch, "display_name"));
    }

    [Fact]
    public void Omitted_nullable_fields_become_null()
    {
        var (ok, _, batch) = ParseJson("{\"id\":1}");

        Assert.True(ok);
        Assert.True(batch.Columns[1].IsNull(0));
    }

    [Theory]
    [InlineData("{\"id\":1,\"count\":2147483648}", "count", "out of range for integer")]
    [InlineData("{\"id\":1,\"count\":1.5}", "count", "not an integer")]
    [InlineData("{\"id\":\"1\"}", "id", "expected an integer, found a string")]
    [InlineData("{\"id\":1,\"active\":\"yes\"}", "active", "expected true or false")]
    [InlineData("{\"id\":1,\"uid\":\"nope\"}", "uid", "not a valid UUID")]
    [InlineData("{\"id\":1,\"day\":\"2024-02-30\"}", "day", "not a valid date")]
    [InlineData("{\"id\":1,\"amount\":1e40}", "amount", "out of range for numeric")]
    [InlineData("{\"id\":1,\"extra\":true}", "extra", "unknown field 'extra'")]
    [InlineData("{\"name\":\"x\"}", "id", "missing required field 'id'")]
    [InlineData("{\"id\":null}", "id", "null is not allowed")]
    public void Invalid_json_fields_are_named_with_the_reason(string record, string field, string reason)
    {
        var (ok, fault, _) = ParseJson(record);

        Assert.False(ok);
        Assert.Equal(field, fault.Field);
        Assert.Contains(reason, fault.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_fields_are_skipped_when_the_dataset_allows_it()
    {
        var (ok, _, _) = ParseJson("{\"id\":1,\"extra\":{\"deep\":[1,2]}}", Datasets.AllTypes(ignoreUnknownFields: true));

        Assert.True(ok);
    }

    [Fact]
    public void Json_errors_inside_a_multi_line_record_point_at_their_line()
    {
        var (ok, fault, _) = ParseJson("{\"id\":1,\n\"name\":\"a\",\n\"count\":\"x\"}");

        Assert.False(ok);
        Assert.Equal(2, fault.LineOffset);
    }

    [Fact]
    public void Nesting_deeper_than_the_limit_is_refused()
    {
        var deep = string.Concat(Enumerable.Repeat("[", 100)) + string.Concat(Enumerable.Repeat("]", 100));
        var (ok, fault, _) = ParseJson($"{{\"id\":1,\"doc\":{deep}}}");

        Assert.False(ok);
        Assert.Contains("invalid JSON", fault.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_csv_record_distinguishes_null_from_the_empty_string_and_unquotes_fields()
    {
        var (ok, _, batch) = ParseCsv("id,name,displayName,doc", "5,,\"\",\"{\"\"a\"\":1}\"");

        Assert.True(ok);
        Assert.True(batch.Columns[1].IsNull(0));
        Assert.Equal("", Text(batch, "display_name"));
        Assert.Equal("{\"a\":1}", Text(batch, "doc"));
    }

    [Theory]
    [InlineData("1,2", "record has more fields")]
    [InlineData("", "the column is NOT NULL")]
    [InlineData("\"1\"x", "after a closing quote")]
    [InlineData("1\"", "a quote inside an unquoted field")]
    public void Malformed_csv_records_are_refused_precisely(string record, string reason)
    {
        var (ok, fault, _) = ParseCsv("id", record);

        Assert.False(ok);
        Assert.Contains(reason, fault.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"id\":1,\"doc\":{\"k\":\"a\\u0000b\"}}", "the NUL character")]
    [InlineData("{\"id\":1,\"doc\":{\"k\\u0000\":1}}", "the NUL character")]
    [InlineData("{\"id\":1,\"doc\":[\"\\ud800\"]}", "unpaired UTF-16 surrogate")]
    [InlineData("{\"id\":1,\"doc\":\"\\udc00x\"}", "unpaired UTF-16 surrogate")]
    public void Json_that_postgresql_jsonb_cannot_hold_is_refused_with_its_field(string record, string reason)
    {
        var (ok, fault, _) = ParseJson(record);

        Assert.False(ok);
        Assert.Equal("doc", fault.Field);
        Assert.Contains(reason, fault.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"id\":1,\"doc\":{\"k\":\"\\\\u0000 is six characters\"}}")]
    [InlineData("{\"id\":1,\"doc\":[\"\\ud83d\\ude00\",\"\\u00e9\"]}")]
    public void Escapes_that_jsonb_can_hold_are_kept(string record) => Assert.True(ParseJson(record).Ok);

    [Fact]
    public void A_csv_jsonb_field_that_postgresql_cannot_hold_is_refused()
    {
        var (ok, fault, _) = ParseCsv("id,doc", "1,\"{\"\"k\"\":\"\"\\u0000\"\"}\"");

        Assert.False(ok);
        Assert.Equal("doc", fault.Field);
        Assert.Contains("the NUL character", fault.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1,1,5,true,x", "record has 5 fields; the header has 4")]
    [InlineData("1,true,x", "record has 3 fields; the header has 4")]
    public void A_csv_record_with_a_field_too_many_or_too_few_is_refused_for_its_field_count_not_for_a_shifted_value(string record, string reason)
    {
        // "1,5" is a decimal comma that splits the count; in the second record the count is missing:
        // either way the values after the gap land in the wrong columns.
        var (ok, fault, _) = ParseCsv("id,count,active,name", record);

        Assert.False(ok);
        Assert.Null(fault.Field);
        Assert.Equal(reason, fault.Message);
    }

    [Fact]
    public void Invalid_utf8_in_a_csv_text_field_is_refused()
    {
        var dataset = Datasets.AllTypes();
        Assert.True(CsvHeader.TryParse("id,name"u8, 1, dataset, out var header, out _));
        var batch = new RowBatch(dataset, 1, 64);
        batch.BeginRow();

        var ok = new CsvRecordParser(dataset, header).TryParse([(byte)'1', (byte)',', 0xC3, 0x28], batch, out var fault);

        Assert.False(ok);
        Assert.Equal("name", fault.Field);
        Assert.Contains("invalid UTF-8", fault.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("id,bogus", "'bogus' is not a field")]
    [InlineData("name", "required column missing: id")]
    [InlineData("id,name,name", "appears twice")]
    public void Csv_headers_that_do_not_match_the_dataset_are_fatal(string header, string reason)
    {
        Assert.False(CsvHeader.TryParse(Encoding.UTF8.GetBytes(header), 1, Datasets.AllTypes(), out _, out var problem));

        Assert.True(problem.IsFatal);
        Assert.Contains(reason, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Columns_a_csv_header_leaves_out_are_null_whatever_an_earlier_batch_left_in_the_pooled_buffers()
    {
        var dataset = Datasets.AllTypes();
        const string Full = "id,name,count,amount,ratio,active,at,day,uid,doc,displayName";
        const string Values = "1,n,7,1.5,0.5,true,2024-01-02T03:04:05Z,2024-01-02,6f9619ff-8b86-d011-b42d-00cf4fc964ff,\"{\"\"a\"\":1}\",d";
        using (var earlier = new RowBatch(dataset, 4, 4096))
        {
            for (var row = 0; row < 4; row++)
            {
                earlier.BeginRow();
                Assert.True(ParseCsvInto(earlier, Full, Values));
                earlier.CommitRow(row + 1, row + 2, 0, 0);
            }
        }

        using var batch = new RowBatch(dataset, 4, 4096);
        for (var row = 0; row < 4; row++)
        {
            batch.BeginRow();
            Assert.True(ParseCsvInto(batch, "id", (row + 10).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            batch.CommitRow(row + 1, row + 2, 0, 0);
        }

        for (var row = 0; row < 4; row++)
        {
            Assert.All(batch.Columns.Skip(1), column => Assert.True(column.IsNull(row), $"row {row}: {column.Column.Name} is not null"));
        }
    }

    [Fact]
    public void A_row_abandoned_half_written_leaves_no_value_for_the_next_row_in_its_place()
    {
        var dataset = Datasets.AllTypes();
        var batch = new RowBatch(dataset, 2, 256);
        var parser = new JsonRecordParser(dataset);
        batch.BeginRow();
        Assert.False(parser.TryParse("{\"id\":1,\"count\":5,\"name\":\"x\",\"active\":\"no\"}"u8, batch, out _));
        batch.AbandonRow();
        batch.BeginRow();
        Assert.True(parser.TryParse("{\"id\":2}"u8, batch, out _));
        batch.CommitRow(2, 2, 0, 0);

        Assert.All(batch.Columns.Skip(1), column => Assert.True(column.IsNull(0), $"{column.Column.Name} kept a value of the abandoned row"));
    }

    [Theory]
    [InlineData("id, name", false, "column 2 ' name' is not a field of dataset 'all_types': names are matched exactly and this one has spaces around 'name'")]
    [InlineData("id,name ", true, "column 2 'name ' is not a field of dataset 'all_types': names are matched exactly and this one has spaces around 'name'")]
    [InlineData("id,Name", true, "column 2 'Name' is not a field of dataset 'all_types': names are case-sensitive; the field is 'name'")]
    [InlineData("\"id\",\" name\"", false, "column 2 ' name' is not a field")]
    public void Csv_header_names_are_matched_exactly_and_a_near_miss_is_refused_saying_why_even_when_unknown_fields_are_ignored(string header, bool ignoreUnknownFields, string reason)
    {
        Assert.False(CsvHeader.TryParse(Encoding.UTF8.GetBytes(header), 1, Datasets.AllTypes(ignoreUnknownFields), out _, out var problem));

        Assert.True(problem.IsFatal);
        Assert.Contains(reason, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_csv_header_of_a_payload_with_cr_only_line_endings_names_the_carriage_return()
    {
        Assert.False(CsvHeader.TryParse("id,name\r1,a\r2,b"u8, 1, Datasets.AllTypes(), out _, out var problem));

        Assert.True(problem.IsFatal);
        Assert.Equal(
            "CSV header: field 2 ('name\\r1') holds a carriage return (\\r) that does not end the line: the payload seems to use CR-only line endings; end lines with LF or CRLF",
            problem.Message);
    }

    [Theory]
    [InlineData("count", "\u001b[2J7", "'\\u001b[2J7' is not an integer")]
    [InlineData("day", "2024-01-01\r", "'2024-01-01\\r' is not a valid date")]
    [InlineData("uid", "\"a\nb\\c\u0085\u007f\"", "'a\\nb\\\\c\\u0085\\u007f' is not a valid UUID")]
    public void A_csv_value_quoted_in_an_error_shows_its_control_characters_escaped(string column, string field, string reason)
    {
        var (ok, fault, _) = ParseCsv("id," + column, "1," + field);

        Assert.False(ok);
        Assert.Equal(column, fault.Field);
        Assert.Contains(reason, fault.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_json_field_name_quoted_in_an_error_shows_its_control_characters_escaped()
    {
        var (ok, fault, _) = ParseJson("{\"id\":1,\"\\u001b]0;pwned\\u0007\":2}");

        Assert.False(ok);
        Assert.Equal("unknown field '\\u001b]0;pwned\\u0007'", fault.Message);
    }

    [Fact]
    public void An_abandoned_row_gives_its_text_back()
    {
        var dataset = Datasets.AllTypes();
        var batch = new RowBatch(dataset, 2, 64);
        var parser = new JsonRecordParser(dataset);
        batch.BeginRow();
        Assert.False(parser.TryParse("{\"id\":1,\"name\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",\"count\":\"x\"}"u8, batch, out _));
        batch.AbandonRow();
        batch.BeginRow();
        Assert.True(parser.TryParse("{\"id\":2,\"name\":\"b\"}"u8, batch, out _));
        batch.CommitRow(2, 2, 0, 0);

        Assert.Equal(1, batch.Count);
        Assert.Equal("b", Text(batch, "name"));
    }
}
