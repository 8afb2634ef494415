using System.Buffers;

namespace BulkDurable.Ingestion.Payloads.Scanning;

/// <summary>
/// A JSON array of records. Only the structure is tracked (brackets, braces, strings and escapes),
/// which is enough to find element boundaries at streaming speed without buffering an element;
/// elements are validated by the chunk reader. In <see cref="ScanScope.Chunk"/> scope the input is
/// a run of elements and separators taken out of the array.
/// <para>
/// A break in the array's structure costs what it spans, not the rest of the payload: an element
/// without the comma before it is rejected as such, and text after an element that cannot start one
/// is rejected as one record up to the next top-level <c>,</c> or <c>]</c>, where scanning resumes.
/// So every record after a break is loaded or rejected, and counted.
/// </para>
/// </summary>
internal sealed class JsonArrayScanner : RecordScanner
{
    private static readonly SearchValues<byte> Structural = SearchValues.Create("\"{}[]\n"u8);
    private static readonly SearchValues<byte> InString = SearchValues.Create("\"\\\n"u8);
    private static readonly SearchValues<byte> ScalarEnd = SearchValues.Create(",]} \t\r\n"u8);
    private static readonly SearchValues<byte> UnexpectedStructural = SearchValues.Create("\"{}[],\n"u8);

    private readonly ScanScope _scope;
    private State _state;
    private long _elementStart;
    private long _elementLine;
    private int _depth;
    private bool _inString;
    private bool _escapePending;
    private bool _scalar;
    private bool _skipping;
    private bool _missingSeparator;
    private byte? _unexpected;

    public JsonArrayScanner(ScanScope scope, int maxRecordBytes, long startOffset, long startLine)
        : base(maxRecordBytes, startOffset, startLine)
    {
        _scope = scope;
        _state = scope == ScanScope.Payload ? State.BeforeArray : State.ElementOrEnd;
    }

    private enum State
    {
        BeforeArray,
        ElementOrEnd,
        Element,
        InElement,
        AfterElement,
        AfterArray,
        Done,
    }

    public override long RetainFrom => _state == State.InElement && !_skipping ? _elementStart : Position;

    public override ScanStatus Next(ReadOnlySpan<byte> window, long windowOffset, bool isFinal, out ScannedRecord record)
    {
        record = default;
        while (true)
        {
            switch (_state)
            {
                case State.Done:
                    return ScanStatus.End;

                case State.InElement:
                    var status = ScanElement(window, windowOffset, isFinal, out record);
                    if (status != ScanStatus.End)
                    {
                        return status;
                    }

                    continue;
            }

            if (!SkipWhitespace(window, windowOffset))
            {
                if (!isFinal)
                {
                    return ScanStatus.NeedMoreData;
                }

                Problem ??= _state switch
                {
                    State.BeforeArray => new PayloadProblem(Line, "the payload is empty: expected a JSON array", IsFatal: true),
                    State.ElementOrEnd or State.Element or State.AfterElement when _scope == ScanScope.Payload =>
                        new PayloadProblem(Line, "the JSON array is not closed: the payload ends before ']'", IsFatal: false),
                    _ => null,
                };
                _state = State.Done;
                return ScanStatus.End;
            }

            var b = window[(int)(Position - windowOffset)];
            switch (_state)
            {
                case State.BeforeArray when b == (byte)'[':
                    Position++;
                    _state = State.ElementOrEnd;
                    break;

                case State.BeforeArray:
                    Problem = new PayloadProblem(
                        Line,
                        b == (byte)'{'
                            ? "expected a JSON array ('['), found an object: send one object per line as application/x-ndjson, or wrap the records in [ ]"
                            : $"expected a JSON array ('['), found {Describe(b)}",
                        IsFatal: true);
                    _state = State.Done;
                    return ScanStatus.End;

                case State.ElementOrEnd or State.AfterElement when b == (byte)']':
                case State.Element when b == (byte)']':
                    if (_state == State.Element)
                    {
                        Problem ??= new PayloadProblem(Line, "trailing comma before ']'", IsFatal: false);
                    }

                    Position++;
                    _state = State.AfterArray;
                    break;

                case State.AfterElement when b == (byte)',':
                    Position++;
                    _state = State.Element;
                    break;

                case State.AfterElement when b is (byte)'{' or (byte)'[' or (byte)'"':
                    _missingSeparator = true;
                    StartElement(b);
                    break;

                case State.AfterElement:
                    StartUnexpected(b);
                    break;

                case State.AfterArray:
                    Problem ??= new PayloadProblem(Line, $"unexpected {Describe(b)} after the end of the JSON array", IsFatal: false);
                    _state = State.Done;
                    return ScanStatus.End;

                default:
                    StartElement(b);
                    break;
            }
        }
    }

    private void StartElement(byte first)
    {
        _state = State.InElement;
        _elementStart = Position;
        _elementLine = Line;
        _skipping = false;
        _escapePending = false;
        _scalar = first is not ((byte)'{' or (byte)'[' or (byte)'"');
        _inString = first == (byte)'"';
        _depth = first is (byte)'{' or (byte)'[' ? 1 : 0;
        if (!_scalar)
        {
            Position++;
        }
    }

    /// <summary>Starts the text after an element that cannot start one; it runs to the next top-level ',' or ']'.</summary>
    private void StartUnexpected(byte first)
    {
        _state = State.InElement;
        _elementStart = Position;
        _elementLine = Line;
        _skipping = _escapePending = _inString = _scalar = false;
        _depth = 0;
        _unexpected = first;
    }

    private ScanStatus ScanElement(ReadOnlySpan<byte> window, long windowOffset, bool isFinal, out ScannedRecord record)
    {
        if (_unexpected is not null)
        {
            return ScanUnexpected(window, windowOffset, isFinal, out record);
        }

        var windowEnd = windowOffset + window.Length;
        while (Position < windowEnd)
        {
            var span = window[(int)(Position - windowOffset)..];
            if (_scalar)
            {
                var end = span.IndexOfAny(ScalarEnd);
                if (end < 0)
                {
                    Position = windowEnd;
                    break;
                }

                Position += end;
                return Emit(out record);
            }

            if (_escapePending)
            {
                _escapePending = false;
                Position++;
                continue;
            }

            var index = span.IndexOfAny(_inString ? InString : Structural);
            if (index < 0)
            {
                Position = windowEnd;
                break;
            }

            var at = Position + index;
            Position = at + 1;
            switch (span[index])
            {
                case (byte)'\n':
                    Line++;
                    break;
                case (byte)'\\':
                    _escapePending = true;
                    break;
                case (byte)'"':
                    _inString = !_inString;
                    if (!_inString && _depth == 0)
                    {
                        return Emit(out record);
                    }

                    break;
                case (byte)'{' or (byte)'[':
                    _depth++;
                    break;
                default:
                    if (--_depth == 0)
                    {
                        return Emit(out record);
                    }

                    break;
            }
        }

        if (isFinal && _scalar)
        {
            return Emit(out record);
        }

        if (isFinal)
        {
            var length = windowEnd - _elementStart;
            record = new ScannedRecord(
                ScannedRecordKind.Malformed,
                _elementStart,
                length,
                _elementLine,
                "the payload ends inside this record (truncated?)");
            _state = State.Done;
            Problem ??= _scope == ScanScope.Payload
                ? new PayloadProblem(Line, "the JSON array is not closed: the payload ends inside a record", IsFatal: false)
                : null;
            return ScanStatus.Found;
        }

        if (!_skipping && windowEnd - _elementStart > MaxRecordBytes)
        {
            CaptureSkippedPrefix(window, windowOffset, _elementStart);
            _skipping = true;
        }

        record = default;
        return ScanStatus.NeedMoreData;
    }

    /// <summary>
    /// Skips the unexpected text up to a ',' or ']' outside strings and brackets (not consumed: the
    /// array goes on from there), balancing brackets it opens and ignoring closers it did not.
    /// </summary>
    private ScanStatus ScanUnexpected(ReadOnlySpan<byte> window, long windowOffset, bool isFinal, out ScannedRecord record)
    {
        var windowEnd = windowOffset + window.Length;
        while (Position < windowEnd)
        {
            if (_escapePending)
            {
                _escapePending = false;
                Position++;
                continue;
            }

            var span = window[(int)(Position - windowOffset)..];
            var index = span.IndexOfAny(_inString ? InString : UnexpectedStructural);
            if (index < 0)
            {
                Position = windowEnd;
                break;
            }

            var at = Position + index;
            var b = span[index];
            if (!_inString && _depth == 0 && b is (byte)',' or (byte)']')
            {
                Position = at;
                return EmitUnexpected(out record);
            }

            Position = at + 1;
            switch (b)
            {
                case (byte)'\n':
                    Line++;
                    break;
                case (byte)'\\':
                    _escapePending = true;
                    break;
                case (byte)'"':
                    _inString = !_inString;
                    break;
                case (byte)'{' or (byte)'[':
                    _depth++;
                    break;
                case (byte)'}' or (byte)']':
                    _depth = Math.Max(0, _depth - 1);
                    break;
            }
        }

        if (isFinal)
        {
            return EmitUnexpected(out record);
        }

        if (!_skipping && windowEnd - _elementStart > MaxRecordBytes)
        {
            CaptureSkippedPrefix(window, windowOffset, _elementStart);
            _skipping = true;
        }

        record = default;
        return ScanStatus.NeedMoreData;
    }

    private ScanStatus EmitUnexpected(out ScannedRecord record)
    {
        record = new ScannedRecord(
            ScannedRecordKind.Malformed,
            _elementStart,
            Position - _elementStart,
            _elementLine,
            $"expected ',' or ']' after the previous record, found {Describe(_unexpected!.Value)}: this text is skipped up to the next ',' or ']'");
        _state = State.AfterElement;
        _unexpected = null;
        _skipping = false;
        return ScanStatus.Found;
    }

    private ScanStatus Emit(out ScannedRecord record)
    {
        _state = State.AfterElement;
        var length = Position - _elementStart;
        if (_skipping || length > MaxRecordBytes)
        {
            record = new ScannedRecord(ScannedRecordKind.Oversized, _elementStart, length, _elementLine, OversizedMessage(length, MaxRecordBytes));
        }
        else if (_missingSeparator)
        {
            record = new ScannedRecord(ScannedRecordKind.Malformed, _elementStart, length, _elementLine, "missing ',' between this record and the previous one");
        }
        else
        {
            record = new ScannedRecord(ScannedRecordKind.Record, _elementStart, length, _elementLine);
        }

        _skipping = _missingSeparator = false;
        return ScanStatus.Found;
    }

    private bool SkipWhitespace(ReadOnlySpan<byte> window, long windowOffset)
    {
        var span = window[(int)(Position - windowOffset)..];
        var i = 0;
        for (; i < span.Length; i++)
        {
            var b = span[i];
            if (b == (byte)'\n')
            {
                Line++;
            }
            else if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r'))
            {
                break;
            }
        }

        Position += i;
        return i < span.Length;
    }

    private static string Describe(byte b) => b is >= 0x21 and < 0x7F ? $"'{(char)b}'" : $"byte 0x{b:X2}";
}
