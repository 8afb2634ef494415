using BulkDurable.Functions.Http;
using BulkDurable.Ingestion.Api;
using BulkDurable.Ingestion.Staging;

namespace BulkDurable.Functions.Tests.Http;

public sealed class LengthLimitedReadStreamTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_body_of_exactly_the_limit_passes()
    {
        var stream = new LengthLimitedReadStream(new MemoryStream(new byte[1000]), 1000);

        await stream.CopyToAsync(Stream.Null, Ct);

        Assert.Equal(1000, stream.Position);
    }

    [Fact]
    public async Task One_byte_over_the_limit_is_413()
    {
        var stream = new LengthLimitedReadStream(new MemoryStream(new byte[1001]), 1000);

        var error = await Assert.ThrowsAsync<PayloadTooLargeException>(() => stream.CopyToAsync(Stream.Null, Ct));

        Assert.Equal(1000, error.LimitBytes);
        Assert.Equal(413, ApiProblem.TooLarge(error).Status);
        Assert.Contains("request body", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Synchronous_reads_are_limited_too()
    {
        var stream = new LengthLimitedReadStream(new MemoryStream(new byte[10]), 5);

        Assert.Throws<PayloadTooLargeException>(() => stream.CopyTo(Stream.Null));
    }
}
