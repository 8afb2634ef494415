using System.Text;
using BulkDurable.Ingestion.Payloads;
using BulkDurable.Ingestion.Payloads.Scanning;

namespace BulkDurable.Ingestion.Tests.Payloads;

public sealed class RecordScannerTests
{
    /// <summary>Scans a payload fed in windows of <paramref name="step"/> bytes, as the planner does.</summary>
    internal static List<(ScannedRecord Record, string Text)> Scan(string payload, PayloadFormat format, int maxRecordBytes = 1 << 20, int step = int.MaxValue, ScanScope scope = ScanScope.Payload)
    {
        var bytes = Encoding.UTF8.GetBytes(payload);
        var scanner = RecordScanner.Create(format, scope, maxRecordBytes);
        var found = new List<(ScannedRecord, string)>();
        long windowOffset = 0;
        var available = Math.Min(step, bytes.Length);
        while (true)
        {
            var window = bytes.AsSpan((int)windowOffset, available - (int)windowOffset);
            var final = available == bytes.Length;
            var status = scanner.Next(window, windowOffset, final, out var record);
            if (status == ScanStatus.End)
            {
                return found;
            }

            if (status == ScanStatus.NeedMoreData)
            {
                Assert.False(final, "a scanner must not ask for more data at the end of the payload");
                windowOffset = scanner.RetainFrom;
                available = (int)Math.Min((long)available + step, bytes.Length);
                continue;
            }

            var text = record.Start >= windowOffset && record.Start + record.Length <= available
                ? Encoding.UTF8.GetString(bytes, (int)record.Start, (int)record.Length)
                : "<not retained>";
            found.Add((record, text));
        }
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(7)]
    [InlineData(1)]
    public void Ndjson_records_are_lines_and_blank_lines_only_count_for_line_numbers(int step)
    {
        var records = Scan("{\"a\":1}\r\n\n   \n{\"a\":2}\n{\"a\":3}", PayloadFormat.Ndjson, step: step);

        Assert.Equal(["{\"a\":1}", "{\"a\":2}", "{\"a\":3}"], records.Select(r => r.Text));
        Assert.Equal([1L, 4L, 5L], records.Select(r => r.Record.Line));
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(5)]
    public void An_oversized_ndjson_line_is_reported_without_being_retained_and_the_next_line_loads(int step)
    {
        var big = "{\"a\":\"" + new string('x', 200) + "\"}";
        var records = Scan($"{{\"a\":1}}\n{big}\n{{\"a\":2}}\n", PayloadFormat.Ndjson, maxRecordBytes: 64, step: step);

        Assert.Equal([ScannedRecordKind.Record, ScannedRecordKind.Oversized, ScannedRecordKind.Record], records.Select(r => r.Record.Kind));
        Assert.Equal(big.Length, records[1].Record.Length);
        Assert.Contains("limit is 64 bytes", records[1].Record.Error, StringComparison.Ordinal);
        Assert.Equal(3, records[2].Record.Line);
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(3)]
    public void Csv_records_may_span_lines_inside_quotes(int step)
    {
        var records = Scan("a,b\r\n1,\"x\ny\"\r\n2,\"say \"\"hi\"\"\"\n\n3,z", PayloadFormat.Csv, step: step);

        Assert.Equal(["a,b", "1,\"x\ny\"", "2,\"say \"\"hi\"\"\"", "3,z"], records.Select(r => r.Text));
        Assert.Equal([1L, 2L, 4L, 6L], records.Select(r => r.Record.Line));
    }

    [Fact]
    public void An_unterminated_csv_quote_costs_one_line_and_scanning_resumes_on_the_next()
    {
        var records = Scan("a,b\n1,\"open\n2,ok\n3,ok\n", PayloadFormat.Csv);

        Assert.Equal(ScannedRecordKind.Malformed, records[1].Record.Kind);
        Assert.Equal("1,\"open", records[1].Text);
        Assert.Contains("unterminated quoted field", records[1].Record.Error, StringComparison.Ordinal);
        Assert.Equal(["2,ok", "3,ok"], records.Skip(2).Select(r => r.Text));
        Assert.Equal([3L, 4L], records.Skip(2).Select(r => r.Record.Line));
    }

    [Fact]
    public void A_csv_quote_that_runs_past_the_record_limit_is_cut_at_its_first_line()
    {
        var payload = "a,b\n1,\"open\n" + string.Concat(Enumerable.Repeat("2,ok\n", 40));
        var records = Scan(payload, PayloadFormat.Csv, maxRecordBytes: 64, step: 16);

        Assert.Equal(ScannedRecordKind.Malformed, records[1].Record.Kind);
        Assert.Equal(40, records.Count(r => r.Text == "2,ok"));
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(4)]
    public void Json_array_elements_are_found_through_nesting_strings_and_escapes(int step)
    {
        var records = Scan("[\n {\"a\":\"]}\\\"[\",\"b\":[1,{\"c\":2}]},\n {\"a\":2}\n]\n", PayloadFormat.JsonArray, step: step);

        Assert.Equal(["{\"a\":\"]}\\\"[\",\"b\":[1,{\"c\":2}]}", "{\"a\":2}"], records.Select(r => r.Text));
        Assert.Equal([2L, 3L], records.Select(r => r.Record.Line));
    }

    [Fact]
    public void A_truncated_json_array_rejects_the_cut_record_and_reports_the_open_array()
    {
        var scanner = RecordScanner.Create(PayloadFormat.JsonArray, ScanScope.Payload, 1024);
        var bytes = Encoding.UTF8.GetBytes("[{\"a\":1},{\"a\":");
        Assert.Equal(ScanStatus.Found, scanner.Next(bytes, 0, true, out var first));
        Assert.Equal(ScanStatus.Found, scanner.Next(bytes, 0, true, out var cut));
        Assert.Equal(ScanStatus.End, scanner.Next(bytes, 0, true, out _));

        Assert.Equal(ScannedRecordKind.Record, first.Kind);
        Assert.Equal(ScannedRecordKind.Malformed, cut.Kind);
        Assert.Contains("truncated", cut.Error, StringComparison.Ordinal);
        Assert.False(scanner.Problem!.IsFatal);
    }

    [Theory]
    [InlineData("{\"a\":1}", "application/x-ndjson")]
    [InlineData("", "empty")]
    [InlineData("  \"x\"", "found '\"'")]
    public void A_payload_that_is_not_a_json_array_is_refused_as_a_whole(string payload, string expected)
    {
        var scanner = RecordScanner.Create(PayloadFormat.JsonArray, ScanScope.Payload, 1024);
        Assert.Equal(ScanStatus.End, scanner.Next(Encoding.UTF8.GetBytes(payload), 0, true, out _));

        Assert.True(scanner.Problem!.IsFatal);
        Assert.Contains(expected, scanner.Problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_comma_rejects_the_following_element_only()
    {
        var records = Scan("[{\"a\":1} {\"a\":2}, {\"a\":3}]", PayloadFormat.JsonArray);

        Assert.Equal([ScannedRecordKind.Record, ScannedRecordKind.Malformed, ScannedRecordKind.Record], records.Select(r => r.Record.Kind));
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(3)]
    public void Text_after_a_json_element_that_cannot_start_one_is_rejected_up_to_the_next_comma_and_the_records_after_it_are_read(int step)
    {
        var records = Scan("[{\"a\":1} x, {\"a\":2}}, {\"a\":3} 7 \"s,]\" {\"b\":[1,]} \n, {\"a\":4}\n]", PayloadFormat.JsonArray, step: step);

        Assert.Equal(["{\"a\":1}", "x", "{\"a\":2}", "}", "{\"a\":3}", "7 \"s,]\" {\"b\":[1,]} \n", "{\"a\":4}"], records.Select(r => r.Text));
        Assert.Equal(
            [ScannedRecordKind.Record, ScannedRecordKind.Malformed, ScannedRecordKind.Record, ScannedRecordKind.Malformed, ScannedRecordKind.Record, ScannedRecordKind.Malformed, ScannedRecordKind.Record],
            records.Select(r => r.Record.Kind));
        Assert.Equal("expected ',' or ']' after the previous record, found 'x': this text is skipped up to the next ',' or ']'", records[1].Record.Error);
        Assert.Equal(2, records[^1].Record.Line);
    }

    [Fact]
    public void Chunk_scope_reads_a_run_of_elements_without_brackets()
    {
        var records = Scan("{\"a\":1},\n{\"a\":2}", PayloadFormat.JsonArray, scope: ScanScope.Chunk);

        Assert.Equal(2, records.Count);
        Assert.All(records, r => Assert.Equal(ScannedRecordKind.Record, r.Record.Kind));
    }
}
