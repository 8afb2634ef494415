namespace BulkDurable.Ingestion.Payloads.Scanning;

/// <summary>
/// NDJSON: one record per line, <c>\n</c> or <c>\r\n</c> terminated (the last line may lack it).
/// Blank lines are skipped, but counted for line numbers.
/// </summary>
internal sealed class NdjsonScanner(int maxRecordBytes, long startOffset, long startLine)
    : RecordScanner(maxRecordBytes, startOffset, startLine)
{
    private bool _inRecord;
    private bool _skipping;
    private long _recordStart;
    private long _searchFrom;

    public override long RetainFrom => _inRecord && !_skipping ? _recordStart : Position;

    public override ScanStatus Next(ReadOnlySpan<byte> window, long windowOffset, bool isFinal, out ScannedRecord record)
    {
        var windowEnd = windowOffset + window.Length;
        while (true)
        {
            if (!_inRecord)
            {
                if (Position >= windowEnd)
                {
                    record = default;
                    return isFinal ? ScanStatus.End : ScanStatus.NeedMoreData;
                }

                _inRecord = true;
                _recordStart = Position;
                _searchFrom = Position;
            }

            var newline = window[(int)(_searchFrom - windowOffset)..].IndexOf((byte)'\n');
            long end;
            if (newline < 0)
            {
                if (!isFinal)
                {
                    // A line that cannot fit is skipped from here on rather than buffered.
                    if (!_skipping && windowEnd - _recordStart > MaxRecordBytes)
                    {
                        CaptureSkippedPrefix(window, windowOffset, _recordStart);
                        _skipping = true;
                    }

                    _searchFrom = windowEnd;
                    Position = _skipping ? windowEnd : Position;
                    record = default;
                    return ScanStatus.NeedMoreData;
                }

                end = windowEnd;
                Position = windowEnd;
            }
            else
            {
                end = _searchFrom + newline;
                Position = end + 1;
            }

            var line = Line;
            if (newline >= 0)
            {
                Line++;
            }

            _inRecord = false;
            if (_skipping)
            {
                _skipping = false;
                var length = end - _recordStart;
                record = new ScannedRecord(ScannedRecordKind.Oversized, _recordStart, length, line, OversizedMessage(length, MaxRecordBytes));
                return ScanStatus.Found;
            }

            var contentLength = TrimCarriageReturn(window, windowOffset, _recordStart, end);
            var content = window.Slice((int)(_recordStart - windowOffset), (int)contentLength);
            if (IsBlank(content))
            {
                continue;
            }

            record = contentLength > MaxRecordBytes
                ? new ScannedRecord(ScannedRecordKind.Oversized, _recordStart, contentLength, line, OversizedMessage(contentLength, MaxRecordBytes))
                : new ScannedRecord(ScannedRecordKind.Record, _recordStart, contentLength, line);
            return ScanStatus.Found;
        }
    }
}
