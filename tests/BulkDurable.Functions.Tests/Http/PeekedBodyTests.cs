using System.Text;
using BulkDurable.Functions.Http;

namespace BulkDurable.Functions.Tests.Http;

public sealed class PeekedBodyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("[{\"a\":1}]", '[')]
    [InlineData("  \r\n\t{\"uploadId\":\"x\"}", '{')]
    [InlineData("\uFEFF {\"uploadId\":\"x\"}", '{')]
    public async Task Finds_the_first_significant_byte_and_replays_the_whole_body(string text, char first)
    {
        var bytes = Encoding.UTF8.GetBytes(text);

        var peeked = await PeekedBody.ReadAsync(new TrickleStream(bytes, 1), Ct);

        Assert.Equal(first, peeked.FirstByte);
        Assert.Equal(bytes, await ReadAllAsync(peeked.Content));
    }

    [Fact]
    public async Task An_empty_body_has_no_first_byte()
    {
        var peeked = await PeekedBody.ReadAsync(new MemoryStream(), Ct);

        Assert.Equal(-1, peeked.FirstByte);
        Assert.Empty(await ReadAllAsync(peeked.Content));
    }

    [Fact]
    public async Task Reads_no_further_than_needed_and_streams_the_rest()
    {
        var bytes = Encoding.UTF8.GetBytes("[" + new string('1', 1_000_000) + "]");
        var source = new TrickleStream(bytes, 4096);

        var peeked = await PeekedBody.ReadAsync(source, Ct);

        Assert.Equal('[', peeked.FirstByte);
        Assert.Equal(4096, source.Position);
        Assert.Equal(bytes, await ReadAllAsync(peeked.Content));
    }

    [Fact]
    public async Task Gives_up_after_the_peek_limit()
    {
        var bytes = Encoding.UTF8.GetBytes(new string(' ', PeekedBody.PeekLimit + 10) + "{}");

        var peeked = await PeekedBody.ReadAsync(new MemoryStream(bytes), Ct);

        Assert.Equal(-1, peeked.FirstByte);
        Assert.Equal(bytes, await ReadAllAsync(peeked.Content));
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, Ct);
        return copy.ToArray();
    }

    /// <summary>Returns at most <paramref name="step"/> bytes per read, like a network stream.</summary>
    private sealed class TrickleStream(byte[] data, int step) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, step));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, step)], cancellationToken);
    }
}
