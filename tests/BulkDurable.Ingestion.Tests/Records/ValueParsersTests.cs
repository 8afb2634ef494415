using System.Text;
using BulkDurable.Ingestion.Records;

namespace BulkDurable.Ingestion.Tests.Records;

public sealed class ValueParsersTests
{
    [Theory]
    [InlineData("2024-05-01T12:30:00Z", "2024-05-01T12:30:00.0000000Z")]
    [InlineData("2024-05-01 12:30:00.123456+02:00", "2024-05-01T10:30:00.1234560Z")]
    [InlineData("2024-05-01T12:30-0130", "2024-05-01T14:00:00.0000000Z")]
    [InlineData("2024-05-01T12:30:00+05", "2024-05-01T07:30:00.0000000Z")]
    [InlineData("2024-05-01T12:30:00", "2024-05-01T12:30:00.0000000Z")]
    [InlineData("2024-05-01", "2024-05-01T00:00:00.0000000Z")]
    [InlineData("2024-02-29T23:59:59.9999999Z", "2024-02-29T23:59:59.9999999Z")]
    public void Timestamps_are_read_as_iso_8601_in_utc(string text, string expected)
    {
        Assert.True(ValueParsers.TryParseTimestamp(Encoding.UTF8.GetBytes(text), out var value));
        Assert.Equal(DateTimeKind.Utc, value.Kind);
        Assert.Equal(expected, value.ToString("O"));
    }

    [Theory]
    [InlineData("2023-02-29T00:00:00Z")]
    [InlineData("2024-13-01")]
    [InlineData("2024-05-01T24:00:00Z")]
    [InlineData("2024-05-01T12:30:00ZZ")]
    [InlineData("2024-05-01T12:30:00.Z")]
    [InlineData("2024-5-1")]
    [InlineData("0000-01-01")]
    [InlineData("yesterday")]
    public void Invalid_timestamps_are_refused(string text) =>
        Assert.False(ValueParsers.TryParseTimestamp(Encoding.UTF8.GetBytes(text), out _));

    [Theory]
    [InlineData("TRUE", true)]
    [InlineData("t", true)]
    [InlineData("Yes", true)]
    [InlineData("1", true)]
    [InlineData("off", false)]
    [InlineData("F", false)]
    public void Booleans_use_postgres_spellings(string text, bool expected)
    {
        Assert.True(ValueParsers.TryParseBool(Encoding.UTF8.GetBytes(text), out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("1e400", false)]
    [InlineData("-Infinity", true)]
    [InlineData("NaN", true)]
    [InlineData("1.5e3", true)]
    [InlineData("abc", false)]
    public void Doubles_refuse_overflow_but_allow_explicit_infinities(string text, bool accepted) =>
        Assert.Equal(accepted, ValueParsers.TryParseDouble(Encoding.UTF8.GetBytes(text), out _));

    [Theory]
    [InlineData("6f9619ff-8b86-d011-b42d-00cf4fc964ff")]
    [InlineData("{6f9619ff-8b86-d011-b42d-00cf4fc964ff}")]
    [InlineData("6f9619ff8b86d011b42d00cf4fc964ff")]
    public void Uuids_are_accepted_in_their_usual_forms(string text)
    {
        Assert.True(ValueParsers.TryParseUuid(Encoding.UTF8.GetBytes(text), out var value));
        Assert.Equal(Guid.Parse("6f9619ff-8b86-d011-b42d-00cf4fc964ff"), value);
    }

    [Theory]
    [InlineData("99999999999", true)]
    [InlineData("-12", true)]
    [InlineData("1.5", false)]
    [InlineData("", false)]
    public void Integer_shapes_tell_out_of_range_from_not_a_number(string text, bool looksLikeInteger) =>
        Assert.Equal(looksLikeInteger, ValueParsers.LooksLikeInteger(Encoding.UTF8.GetBytes(text)));
}
