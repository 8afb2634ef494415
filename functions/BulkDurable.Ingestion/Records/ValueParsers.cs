using System.Buffers.Text;
using System.Globalization;

namespace BulkDurable.Ingestion.Records;

/// <summary>
/// Allocation-free parsers from UTF-8 text to column values, shared by the JSON and CSV readers so
/// that a value means the same thing in every format.
/// </summary>
internal static class ValueParsers
{
    private const NumberStyles IntegerStyle = NumberStyles.AllowLeadingSign;
    private const NumberStyles FloatStyle = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

    public static bool TryParseInt32(ReadOnlySpan<byte> text, out int value) =>
        int.TryParse(text, IntegerStyle, CultureInfo.InvariantCulture, out value);

    public static bool TryParseInt64(ReadOnlySpan<byte> text, out long value) =>
        long.TryParse(text, IntegerStyle, CultureInfo.InvariantCulture, out value);

    public static bool TryParseDecimal(ReadOnlySpan<byte> text, out decimal value) =>
        decimal.TryParse(text, FloatStyle, CultureInfo.InvariantCulture, out value);

    /// <summary>Parses a double; <c>NaN</c>, <c>Infinity</c> and <c>-Infinity</c> are allowed, overflow is not.</summary>
    public static bool TryParseDouble(ReadOnlySpan<byte> text, out double value)
    {
        if (!double.TryParse(text, FloatStyle, CultureInfo.InvariantCulture, out value)
            && !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
        {
            return false;
        }

        // .NET parses "1e400" as infinity; only a literal Infinity may produce one.
        return !double.IsInfinity(value) || text.IndexOfAny("Ii"u8) >= 0;
    }

    /// <summary>Whether text looks like an integer (sign and digits) whatever its magnitude: tells "out of range" from "not a number".</summary>
    public static bool LooksLikeInteger(ReadOnlySpan<byte> text)
    {
        if (text.Length > 0 && text[0] is (byte)'-' or (byte)'+')
        {
            text = text[1..];
        }

        return text.Length > 0 && text.IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0;
    }

    /// <summary>PostgreSQL's boolean spellings: true/false, t/f, yes/no, y/n, on/off, 1/0, any case.</summary>
    public static bool TryParseBool(ReadOnlySpan<byte> text, out bool value)
    {
        Span<byte> lower = stackalloc byte[5];
        if (text.Length is 0 or > 5)
        {
            value = false;
            return false;
        }

        for (var i = 0; i < text.Length; i++)
        {
            lower[i] = (byte)(text[i] | 0x20);
        }

        var word = lower[..text.Length];
        if (word.SequenceEqual("true"u8) || word.SequenceEqual("t"u8) || word.SequenceEqual("yes"u8) || word.SequenceEqual("y"u8) || word.SequenceEqual("on"u8) || word.SequenceEqual("1"u8))
        {
            value = true;
            return true;
        }

        value = false;
        return word.SequenceEqual("false"u8) || word.SequenceEqual("f"u8) || word.SequenceEqual("no"u8) || word.SequenceEqual("n"u8) || word.SequenceEqual("off"u8) || word.SequenceEqual("0"u8);
    }

    /// <summary>Parses a UUID in the 8-4-4-4-12 form, optionally in braces, or as 32 hex digits.</summary>
    public static bool TryParseUuid(ReadOnlySpan<byte> text, out Guid value)
    {
        var format = text.Length switch
        {
            36 => 'D',
            38 => 'B',
            32 => 'N',
            _ => '\0',
        };
        value = default;
        return format != '\0' && Utf8Parser.TryParse(text, out value, out var consumed, format) && consumed == text.Length;
    }

    /// <summary>Parses an ISO 8601 calendar date, <c>YYYY-MM-DD</c>.</summary>
    public static bool TryParseDate(ReadOnlySpan<byte> text, out DateOnly value)
    {
        value = default;
        if (text.Length != 10 || !TryParseDatePart(text, out var year, out var month, out var day))
        {
            return false;
        }

        value = new DateOnly(year, month, day);
        return true;
    }

    /// <summary>
    /// Parses an ISO 8601 / RFC 3339 timestamp to UTC: <c>YYYY-MM-DD</c>, then <c>T</c> or a space,
    /// <c>hh:mm[:ss[.fraction]]</c>, then <c>Z</c>, <c>±hh</c>, <c>±hh:mm</c> or <c>±hhmm</c>.
    /// Without an offset the time is UTC. A date alone is midnight UTC.
    /// </summary>
    public static bool TryParseTimestamp(ReadOnlySpan<byte> text, out DateTime utc)
    {
        utc = default;
        if (text.Length < 10 || !TryParseDatePart(text, out var year, out var month, out var day))
        {
            return false;
        }

        var rest = text[10..];
        var date = new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Utc);
        if (rest.IsEmpty)
        {
            utc = date;
            return true;
        }

        if (rest[0] is not ((byte)'T' or (byte)'t' or (byte)' ') || rest.Length < 6
            || !TryTwoDigits(rest[1..], out var hour) || rest[3] != (byte)':' || !TryTwoDigits(rest[4..], out var minute)
            || hour > 23 || minute > 59)
        {
            return false;
        }

        rest = rest[6..];
        var second = 0;
        long fractionTicks = 0;
        if (!rest.IsEmpty && rest[0] == (byte)':')
        {
            if (rest.Length < 3 || !TryTwoDigits(rest[1..], out second) || second > 59)
            {
                return false;
            }

            rest = rest[3..];
            if (!rest.IsEmpty && rest[0] == (byte)'.')
            {
                var digits = 0;
                rest = rest[1..];
                while (digits < rest.Length && IsDigit(rest[digits]))
                {
                    if (digits < 7)
                    {
                        fractionTicks = (fractionTicks * 10) + (rest[digits] - '0');
                    }

                    digits++;
                }

                if (digits == 0)
                {
                    return false;
                }

                for (var i = digits; i < 7; i++)
                {
                    fractionTicks *= 10;
                }

                rest = rest[digits..];
            }
        }

        if (!TryParseOffset(rest, out var offsetMinutes))
        {
            return false;
        }

        var local = date.Ticks + (hour * TimeSpan.TicksPerHour) + (minute * TimeSpan.TicksPerMinute) + (second * TimeSpan.TicksPerSecond) + fractionTicks;
        var ticks = local - (offsetMinutes * TimeSpan.TicksPerMinute);
        if (ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks)
        {
            return false;
        }

        utc = new DateTime(ticks, DateTimeKind.Utc);
        return true;
    }

    private static bool TryParseOffset(ReadOnlySpan<byte> text, out int minutes)
    {
        minutes = 0;
        if (text.IsEmpty)
        {
            return true;
        }

        if (text.Length == 1 && text[0] is (byte)'Z' or (byte)'z')
        {
            return true;
        }

        if (text[0] is not ((byte)'+' or (byte)'-') || !TryTwoDigits(text[1..], out var hours) || hours > 15)
        {
            return false;
        }

        var sign = text[0] == (byte)'-' ? -1 : 1;
        var rest = text[3..];
        var offsetMinutes = 0;
        if (rest.Length == 3 && rest[0] == (byte)':')
        {
            rest = rest[1..];
        }

        if (rest.Length == 2)
        {
            if (!TryTwoDigits(rest, out offsetMinutes) || offsetMinutes > 59)
            {
                return false;
            }
        }
        else if (!rest.IsEmpty)
        {
            return false;
        }

        minutes = sign * ((hours * 60) + offsetMinutes);
        return true;
    }

    private static bool TryParseDatePart(ReadOnlySpan<byte> text, out int year, out int month, out int day)
    {
        year = month = day = 0;
        if (!TryTwoDigits(text, out var century) || !TryTwoDigits(text[2..], out var yy) || text[4] != (byte)'-'
            || !TryTwoDigits(text[5..], out month) || text[7] != (byte)'-' || !TryTwoDigits(text[8..], out day))
        {
            return false;
        }

        year = (century * 100) + yy;
        return year >= 1 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month);
    }

    private static bool TryTwoDigits(ReadOnlySpan<byte> text, out int value)
    {
        if (text.Length >= 2 && IsDigit(text[0]) && IsDigit(text[1]))
        {
            value = ((text[0] - '0') * 10) + (text[1] - '0');
            return true;
        }

        value = 0;
        return false;
    }

    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;
}
