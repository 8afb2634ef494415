using System.Text;
using BulkDurable.Ingestion.Api;
using BulkDurable.Ingestion.Payloads;

namespace BulkDurable.Ingestion.Tests.Api;

public sealed class UploadReferenceTests
{
    [Theory]
    [InlineData("{\"uploadId\":\"abc123\"}", PayloadFormat.Ndjson, PayloadCompression.None)]
    [InlineData("{\"uploadId\":\"abc123\",\"format\":\"csv\",\"compression\":\"gzip\"}", PayloadFormat.Csv, PayloadCompression.Gzip)]
    [InlineData("{\"format\":\"json\",\"uploadId\":\"abc123\",\"compression\":\"none\"}", PayloadFormat.JsonArray, PayloadCompression.None)]
    [InlineData("{\"uploadId\":\"abc123\",\"format\":\"jsonl\",\"fileName\":\"x.jsonl\",\"meta\":{\"a\":[1,2]}}", PayloadFormat.Ndjson, PayloadCompression.None)]
    [InlineData("{\"uploadId\":\"abc123\",\"format\":\"text/csv\"}", PayloadFormat.Csv, PayloadCompression.None)]
    public void Parses_a_reference_with_defaults(string json, PayloadFormat format, PayloadCompression compression)
    {
        Assert.True(UploadReference.TryParse(Encoding.UTF8.GetBytes(json), out var reference, out var problem));
        Assert.Null(problem);
        Assert.Equal(new UploadReference("abc123", format, compression), reference);
    }

    [Theory]
    [InlineData("{}", "'uploadId' is required")]
    [InlineData("{\"uploadId\":\"../etc/passwd\"}", "'uploadId' is required")]
    [InlineData("{\"uploadId\":42}", "'uploadId' must be a string")]
    [InlineData("{\"uploadId\":\"abc\",\"format\":\"xml\"}", "'format' must be")]
    [InlineData("{\"uploadId\":\"abc\",\"compression\":\"br\"}", "'compression' must be")]
    [InlineData("{\"uploadId\":\"abc\"", "not valid JSON")]
    [InlineData("{\"uploadId\":\"abc\"} {}", "not valid JSON")]
    [InlineData("[]", "must be a JSON object")]
    public void Malformed_references_are_400(string json, string message)
    {
        Assert.False(UploadReference.TryParse(Encoding.UTF8.GetBytes(json), out var reference, out var problem));
        Assert.Null(reference);
        Assert.Equal(400, problem.Status);
        Assert.Contains(message, problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reads_a_reference_from_a_body()
    {
        var (reference, problem) = await UploadReference.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(" {\"uploadId\":\"u1\"}")), TestContext.Current.CancellationToken);

        Assert.Null(problem);
        Assert.Equal("u1", reference?.UploadId);
    }

    [Fact]
    public async Task Refuses_a_body_larger_than_a_reference_can_be()
    {
        var json = "{\"uploadId\":\"u1\",\"pad\":\"" + new string('x', UploadReference.MaxBytes) + "\"}";

        var (reference, problem) = await UploadReference.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(json)), TestContext.Current.CancellationToken);

        Assert.Null(reference);
        Assert.Equal(400, problem?.Status);
    }

    [Theory]
    [InlineData(PayloadFormat.Ndjson, PayloadCompression.None)]
    [InlineData(PayloadFormat.JsonArray, PayloadCompression.Gzip)]
    [InlineData(PayloadFormat.Csv, PayloadCompression.Gzip)]
    public void The_body_a_client_writes_is_the_reference_the_api_reads(PayloadFormat format, PayloadCompression compression)
    {
        var sent = new UploadReference("01a2b3c4", format, compression);

        Assert.True(UploadReference.TryParse(sent.ToUtf8Json(), out var read, out var problem), problem?.Detail);
        Assert.Equal(sent, read);
    }
}
