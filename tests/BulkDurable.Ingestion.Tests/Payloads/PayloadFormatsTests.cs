using BulkDurable.Ingestion.Payloads;

namespace BulkDurable.Ingestion.Tests.Payloads;

public sealed class PayloadFormatsTests
{
    [Theory]
    [InlineData("application/x-ndjson", PayloadFormat.Ndjson)]
    [InlineData("application/json; charset=utf-8", PayloadFormat.JsonArray)]
    [InlineData("TEXT/CSV", PayloadFormat.Csv)]
    public void Known_media_types_map_to_formats(string contentType, PayloadFormat expected)
    {
        Assert.True(PayloadFormats.TryFromContentType(contentType, out var format));
        Assert.Equal(expected, format);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("text/plain")]
    [InlineData("text/csv; charset=latin1")]
    public void Other_media_types_and_charsets_are_refused(string? contentType) =>
        Assert.False(PayloadFormats.TryFromContentType(contentType, out _));

    [Theory]
    [InlineData(null, PayloadCompression.None, true)]
    [InlineData("gzip", PayloadCompression.Gzip, true)]
    [InlineData("br", PayloadCompression.None, false)]
    public void Content_encodings_are_gzip_or_nothing(string? encoding, PayloadCompression expected, bool accepted)
    {
        Assert.Equal(accepted, PayloadFormats.TryFromContentEncoding(encoding, out var compression));
        Assert.Equal(expected, compression);
    }

    [Theory]
    [InlineData("data.ndjson.gz", PayloadFormat.Ndjson, PayloadCompression.Gzip)]
    [InlineData("data.jsonl", PayloadFormat.Ndjson, PayloadCompression.None)]
    [InlineData("DATA.CSV", PayloadFormat.Csv, PayloadCompression.None)]
    [InlineData("data.json", PayloadFormat.JsonArray, PayloadCompression.None)]
    public void File_names_tell_format_and_compression(string name, PayloadFormat format, PayloadCompression compression)
    {
        Assert.True(PayloadFormats.TryFromFileName(name, out var f, out var c));
        Assert.Equal((format, compression), (f, c));
    }
}
