namespace BulkDurable.Ingestion.Records;

/// <summary>
/// Splits one CSV record (RFC 4180) into fields without copying. A quoted field is returned
/// without its quotes; doubled quotes inside it are left for the consumer to collapse.
/// </summary>
internal ref struct CsvFields
{
    private readonly ReadOnlySpan<byte> _record;
    private int _position;
    private bool _done;

    public CsvFields(ReadOnlySpan<byte> record) => _record = record;

    /// <summary>Offset in the record where the current field starts.</summary>
    public int FieldStart { get; private set; }

    /// <summary>Why <see cref="TryNext"/> failed, when it did.</summary>
    public string? Error { get; private set; }

    /// <summary>Reads the next field; false at the end of the record or on a quoting error (<see cref="Error"/>).</summary>
    public bool TryNext(out CsvField field)
    {
        field = default;
        if (_done)
        {
            return false;
        }

        FieldStart = _position;
        var rest = _record[_position..];
        if (rest.IsEmpty || rest[0] != (byte)'"')
        {
            var comma = rest.IndexOf((byte)',');
            var raw = comma < 0 ? rest : rest[..comma];
            if (raw.Contains((byte)'"'))
            {
                Error = "a quote inside an unquoted field: quote the whole field and double the quote (\"\")";
                _done = true;
                return false;
            }

            field = new CsvField(raw, Quoted: false, HasEscapedQuotes: false);
            Advance(comma, raw.Length);
            return true;
        }

        var escaped = false;
        var i = 1;
        while (true)
        {
            var quote = rest[i..].IndexOf((byte)'"');
            if (quote < 0)
            {
                Error = "unterminated quoted field";
                _done = true;
                return false;
            }

            i += quote;
            if (i + 1 < rest.Length && rest[i + 1] == (byte)'"')
            {
                escaped = true;
                i += 2;
                continue;
            }

            break;
        }

        field = new CsvField(rest[1..i], Quoted: true, HasEscapedQuotes: escaped);
        var after = i + 1;
        if (after < rest.Length && rest[after] != (byte)',')
        {
            Error = "unexpected text after a closing quote: a quoted field must end at a comma or the end of the record";
            _done = true;
            return false;
        }

        Advance(after < rest.Length ? after : -1, after);
        return true;
    }

    private void Advance(int comma, int length)
    {
        if (comma < 0)
        {
            _done = true;
            _position += length;
        }
        else
        {
            _position += comma + 1;
        }
    }
}

/// <summary>One field of a CSV record.</summary>
/// <param name="Value">The field's bytes, without surrounding quotes.</param>
/// <param name="Quoted">Whether the field was quoted (a quoted empty field is an empty string, an unquoted one is null).</param>
/// <param name="HasEscapedQuotes">Whether <see cref="Value"/> holds doubled quotes to collapse.</param>
internal readonly ref struct CsvField(ReadOnlySpan<byte> Value, bool Quoted, bool HasEscapedQuotes)
{
    public ReadOnlySpan<byte> Value { get; } = Value;

    public bool Quoted { get; } = Quoted;

    public bool HasEscapedQuotes { get; } = HasEscapedQuotes;
}
