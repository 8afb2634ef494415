using System.Buffers.Binary;

namespace BulkDurable.Ingestion.Loading;

/// <summary>
/// Writes rows in PostgreSQL's binary COPY format (big-endian; each field a 32-bit length, -1 for
/// null, then the type's binary send representation) into a caller-provided buffer.
/// See https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.4.
/// </summary>
internal ref struct PgCopyEncoder(Span<byte> destination)
{
    /// <summary>Room any fixed-size value takes (numeric is the largest: 8 + 2 per base-10000 digit).</summary>
    public const int MaxFixedSize = 32;

    /// <summary>Bytes of the file header.</summary>
    public const int HeaderSize = 19;

    private static readonly long PostgresEpochTicks = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;
    private static readonly int PostgresEpochDayNumber = new DateOnly(2000, 1, 1).DayNumber;

    private readonly Span<byte> _destination = destination;

    /// <summary>"PGCOPY\n\377\r\n\0": raw bytes, 0xFF included (a UTF-8 literal would encode it as two).</summary>
    private static ReadOnlySpan<byte> Signature => [0x50, 0x47, 0x43, 0x4F, 0x50, 0x59, 0x0A, 0xFF, 0x0D, 0x0A, 0x00];

    /// <summary>Bytes written so far.</summary>
    public int Written { get; private set; }

    /// <summary>The signature, flags and header extension that start a binary COPY stream.</summary>
    public void WriteHeader()
    {
        Signature.CopyTo(_destination[Written..]);
        Written += 11;
        BinaryPrimitives.WriteInt32BigEndian(_destination[Written..], 0);
        BinaryPrimitives.WriteInt32BigEndian(_destination[(Written + 4)..], 0);
        Written += 8;
    }

    /// <summary>The end-of-data marker.</summary>
    public void WriteTrailer() => WriteInt16(-1);

    public void StartRow(short fieldCount) => WriteInt16(fieldCount);

    public void WriteNull() => WriteLength(-1);

    public void WriteInt32(int value)
    {
        WriteLength(4);
        BinaryPrimitives.WriteInt32BigEndian(_destination[Written..], value);
        Written += 4;
    }

    public void WriteInt64(long value)
    {
        WriteLength(8);
        BinaryPrimitives.WriteInt64BigEndian(_destination[Written..], value);
        Written += 8;
    }

    public void WriteDouble(double value)
    {
        WriteLength(8);
        BinaryPrimitives.WriteDoubleBigEndian(_destination[Written..], value);
        Written += 8;
    }

    public void WriteBool(bool value)
    {
        WriteLength(1);
        _destination[Written++] = value ? (byte)1 : (byte)0;
    }

    /// <summary>timestamptz: microseconds since 2000-01-01 UTC (sub-microsecond ticks truncated, as Npgsql does).</summary>
    public void WriteTimestamp(DateTime utc) => WriteInt64((utc.Ticks - PostgresEpochTicks) / 10);

    /// <summary>date: days since 2000-01-01.</summary>
    public void WriteDate(DateOnly date) => WriteInt32(date.DayNumber - PostgresEpochDayNumber);

    /// <summary>uuid: the 16 bytes in RFC 4122 (big-endian) order.</summary>
    public void WriteUuid(Guid value)
    {
        WriteLength(16);
        value.TryWriteBytes(_destination[Written..], bigEndian: true, out _);
        Written += 16;
    }

    public void WriteNumeric(decimal value)
    {
        var lengthAt = Written;
        Written += 4;
        var length = PgNumeric.Write(value, _destination[Written..]);
        BinaryPrimitives.WriteInt32BigEndian(_destination[lengthAt..], length);
        Written += length;
    }

    /// <summary>text: the UTF-8 bytes.</summary>
    public void WriteText(ReadOnlySpan<byte> utf8)
    {
        WriteLength(utf8.Length);
        utf8.CopyTo(_destination[Written..]);
        Written += utf8.Length;
    }

    /// <summary>jsonb: format version 1, then the JSON text.</summary>
    public void WriteJsonb(ReadOnlySpan<byte> utf8)
    {
        WriteLength(utf8.Length + 1);
        _destination[Written++] = 1;
        utf8.CopyTo(_destination[Written..]);
        Written += utf8.Length;
    }

    private void WriteLength(int length)
    {
        BinaryPrimitives.WriteInt32BigEndian(_destination[Written..], length);
        Written += 4;
    }

    private void WriteInt16(short value)
    {
        BinaryPrimitives.WriteInt16BigEndian(_destination[Written..], value);
        Written += 2;
    }
}
