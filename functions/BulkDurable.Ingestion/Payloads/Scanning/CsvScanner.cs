namespace BulkDurable.Ingestion.Payloads.Scanning;

/// <summary>
/// CSV (RFC 4180): a record ends at a line break outside double quotes, so quoted fields may hold
/// line breaks. Blank lines are skipped. A quote that is never closed would swallow the rest of the
/// payload: once the record passes the size limit, or the payload ends, only the record's first
/// line is rejected and scanning resumes on the next line, so the records after it still load.
/// </summary>
internal sealed class CsvScanner(int maxRecordBytes, long startOffset, long startLine)
    : RecordScanner(maxRecordBytes, startOffset, startLine)
{
    private static readonly System.Buffers.SearchValues<byte> QuoteOrNewline = System.Buffers.SearchValues.Create("\"\n"u8);

    private bool _inRecord;
    private bool _inQuotes;
    private bool _skipping;
    private long _recordStart;
    private long _recordLine;
    private long _searchFrom;
    private long _firstNewlineInQuotes;

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
                _inQuotes = false;
                _recordStart = Position;
                _recordLine = Line;
                _searchFrom = Position;
                _firstNewlineInQuotes = -1;
            }

            if (_skipping)
            {
                var newline = window[(int)(_searchFrom - windowOffset)..].IndexOf((byte)'\n');
                if (newline < 0 && !isFinal)
                {
                    _searchFrom = Position = windowEnd;
                    record = default;
                    return ScanStatus.NeedMoreData;
                }

                var end = newline < 0 ? windowEnd : _searchFrom + newline;
                Position = newline < 0 ? end : end + 1;
                Line += newline < 0 ? 0 : 1;
                _skipping = _inRecord = false;
                record = new ScannedRecord(ScannedRecordKind.Oversized, _recordStart, end - _recordStart, _recordLine, OversizedMessage(end - _recordStart, MaxRecordBytes));
                return ScanStatus.Found;
            }

            var span = window[(int)(_searchFrom - windowOffset)..];
            var index = span.IndexOfAny(QuoteOrNewline);
            if (index < 0)
            {
                if (!isFinal)
                {
                    if (windowEnd - _recordStart > MaxRecordBytes)
                    {
                        if (TryRejectFirstLine(window, windowOffset, out record))
                        {
                            return ScanStatus.Found;
                        }

                        CaptureSkippedPrefix(window, windowOffset, _recordStart);
                        _skipping = true;
                        _searchFrom = Position = windowEnd;
                    }
                    else
                    {
                        _searchFrom = windowEnd;
                    }

                    record = default;
                    return ScanStatus.NeedMoreData;
                }

                if (_inQuotes)
                {
                    if (TryRejectFirstLine(window, windowOffset, out record))
                    {
                        return ScanStatus.Found;
                    }

                    Position = windowEnd;
                    _inRecord = false;
                    record = new ScannedRecord(ScannedRecordKind.Malformed, _recordStart, windowEnd - _recordStart, _recordLine, UnterminatedQuote());
                    return ScanStatus.Found;
                }

                if (Complete(window, windowOffset, windowEnd, hasNewline: false, out record))
                {
                    return ScanStatus.Found;
                }

                continue;
            }

            var at = _searchFrom + index;
            _searchFrom = at + 1;
            if (span[index] == (byte)'"')
            {
                _inQuotes = !_inQuotes;
                continue;
            }

            if (_inQuotes)
            {
                Line++;
                if (_firstNewlineInQuotes < 0)
                {
                    _firstNewlineInQuotes = at;
                }

                continue;
            }

            if (Complete(window, windowOffset, at, hasNewline: true, out record))
            {
                return ScanStatus.Found;
            }
        }
    }

    private bool Complete(ReadOnlySpan<byte> window, long windowOffset, long end, bool hasNewline, out ScannedRecord record)
    {
        _inRecord = false;
        Position = hasNewline ? end + 1 : end;
        Line += hasNewline ? 1 : 0;
        var length = TrimCarriageReturn(window, windowOffset, _recordStart, end);
        if (IsBlank(window.Slice((int)(_recordStart - windowOffset), (int)length)))
        {
            record = default;
            return false;
        }

        record = length > MaxRecordBytes
            ? new ScannedRecord(ScannedRecordKind.Oversized, _recordStart, length, _recordLine, OversizedMessage(length, MaxRecordBytes))
            : new ScannedRecord(ScannedRecordKind.Record, _recordStart, length, _recordLine);
        return true;
    }

    /// <summary>
    /// Rejects the first physical line of a record whose quote never closed, and resumes scanning
    /// after it: a stray quote costs one record, not the rest of the payload.
    /// </summary>
    private bool TryRejectFirstLine(ReadOnlySpan<byte> window, long windowOffset, out ScannedRecord record)
    {
        if (!_inQuotes || _firstNewlineInQuotes < 0)
        {
            record = default;
            return false;
        }

        var length = TrimCarriageReturn(window, windowOffset, _recordStart, _firstNewlineInQuotes);
        record = new ScannedRecord(ScannedRecordKind.Malformed, _recordStart, length, _recordLine, UnterminatedQuote());
        Position = _firstNewlineInQuotes + 1;
        Line = _recordLine + 1;
        _inRecord = false;
        return true;
    }

    private string UnterminatedQuote() =>
        $"unterminated quoted field: the quote opened on line {_recordLine:N0} is not closed within {MaxRecordBytes:N0} bytes or before the end of the payload";
}
