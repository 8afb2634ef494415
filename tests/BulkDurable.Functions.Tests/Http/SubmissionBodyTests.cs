using BulkDurable.Functions.Http;
using BulkDurable.Ingestion.Payloads;

namespace BulkDurable.Functions.Tests.Http;

public sealed class SubmissionBodyTests
{
    [Theory]
    [InlineData("application/x-ndjson", null, PayloadFormat.Ndjson, PayloadCompression.None)]
    [InlineData("application/json; charset=utf-8", "", PayloadFormat.JsonArray, PayloadCompression.None)]
    [InlineData("text/csv", "gzip", PayloadFormat.Csv, PayloadCompression.Gzip)]
    [InlineData("application/x-ndjson", "identity", PayloadFormat.Ndjson, PayloadCompression.None)]
    public void Supported_headers_describe_the_body(string contentType, string? encoding, PayloadFormat format, PayloadCompression compression)
    {
        Assert.True(SubmissionBody.TryFromHeaders(contentType, encoding, out var body, out var problem));
        Assert.Null(problem);
        Assert.Equal(new SubmissionBody(format, compression), body);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("text/plain", null)]
    [InlineData("application/json; charset=utf-16", null)]
    [InlineData("application/x-ndjson", "br")]
    [InlineData("text/csv", "deflate")]
    public void Unsupported_media_types_and_encodings_are_415(string? contentType, string? encoding)
    {
        Assert.False(SubmissionBody.TryFromHeaders(contentType, encoding, out var body, out var problem));
        Assert.Null(body);
        Assert.Equal(415, problem.Status);
        Assert.Equal("urn:bulkdurable:problem:unsupported-media-type", problem.Type);
    }

    [Theory]
    [InlineData(PayloadFormat.JsonArray, PayloadCompression.None, true)]
    [InlineData(PayloadFormat.JsonArray, PayloadCompression.Gzip, false)]
    [InlineData(PayloadFormat.Ndjson, PayloadCompression.None, false)]
    [InlineData(PayloadFormat.Csv, PayloadCompression.None, false)]
    public void Only_uncompressed_json_bodies_may_be_upload_references(PayloadFormat format, PayloadCompression compression, bool expected) =>
        Assert.Equal(expected, new SubmissionBody(format, compression).MayBeUploadReference);
}
