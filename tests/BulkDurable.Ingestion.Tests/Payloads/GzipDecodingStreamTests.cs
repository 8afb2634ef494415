using System.IO.Compression;
using System.IO.Hashing;
using System.Text;
using BulkDurable.Ingestion.Payloads;

namespace BulkDurable.Ingestion.Tests.Payloads;

public sealed class GzipDecodingStreamTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static byte[] Text(int length, int seed)
    {
        var random = new Random(seed);
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            bytes[i] = random.Next(4) == 0 ? (byte)random.Next(256) : (byte)('a' + (i % 13));
        }

        return bytes;
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    private static async Task<byte[]> DecodeAsync(byte[] compressed, int readSize)
    {
        await using var decoder = new GzipDecodingStream(new MemoryStream(compressed), long.MaxValue, 100_000);
        using var output = new MemoryStream();
        var buffer = new byte[readSize];
        int read;
        while ((read = await decoder.ReadAsync(buffer, Ct)) > 0)
        {
            output.Write(buffer, 0, read);
        }

        return output.ToArray();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(2_000)]
    public async Task A_gzip_stream_cut_short_is_rejected_as_truncated_not_read_as_a_shorter_payload(int missingBytes)
    {
        var compressed = Gzip(Text(200_000, 1));

        var error = await Assert.ThrowsAsync<PayloadRejectedException>(() => DecodeAsync(compressed[..^missingBytes], 64 * 1024));

        Assert.True(error.Problem.IsFatal);
        Assert.Contains("the gzip stream is truncated", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(CompressionLevel.Fastest)]
    [InlineData(CompressionLevel.Optimal)]
    [InlineData(CompressionLevel.SmallestSize)]
    [InlineData(CompressionLevel.NoCompression)]
    public async Task A_gzip_stream_of_one_unterminated_line_cut_at_any_byte_is_rejected_as_truncated(CompressionLevel level)
    {
        // Issue 14 reported this shape (one line, no newline, the upload cut) as loaded; every cut
        // point is checked, with the planner's read pattern and with one-byte reads.
        var line = Encoding.UTF8.GetBytes("{\"sensor_id\":\"s1\",\"sampled_at\":\"2024-01-01T00:00:00Z\",\"note\":\"" + new string('n', 150) + "\"");
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, level, leaveOpen: true))
        {
            gzip.Write(line);
        }

        var compressed = output.ToArray();
        Assert.Equal(line, await DecodeAsync(compressed, 1 << 20));
        for (var cut = 0; cut < compressed.Length; cut++)
        {
            foreach (var readSize in new[] { 1, 1 << 20 })
            {
                var error = await Assert.ThrowsAsync<PayloadRejectedException>(() => DecodeAsync(compressed[..cut], readSize));
                Assert.True(error.Message.Contains("the gzip stream is truncated", StringComparison.Ordinal), $"cut at {cut} of {compressed.Length}: {error.Message}");
            }
        }
    }

    [Fact]
    public async Task An_empty_gzip_payload_is_rejected() =>
        await Assert.ThrowsAsync<PayloadRejectedException>(() => DecodeAsync([], 4096));

    [Theory]
    [InlineData(1)]
    [InlineData(4096)]
    [InlineData(1 << 20)]
    public async Task A_complete_gzip_stream_decodes_whatever_the_read_size(int readSize)
    {
        var data = Text(300_000, 2);

        Assert.Equal(data, await DecodeAsync(Gzip(data), readSize));
    }

    [Theory]
    [InlineData(7, 4096)]
    [InlineData(8, 65536)]
    [InlineData(9, 1 << 20)]
    public async Task Concatenated_gzip_members_decode_completely_including_empty_ones(int seed, int readSize)
    {
        var random = new Random(seed);
        var members = Enumerable.Range(0, 5).Select(i => Text(i == 2 ? 0 : random.Next(1, 250_000), seed * 10 + i)).ToList();

        var decoded = await DecodeAsync(members.SelectMany(Gzip).ToArray(), readSize);

        Assert.Equal(members.SelectMany(m => m).ToArray(), decoded);
    }

    [Fact]
    public async Task The_last_of_concatenated_members_cut_short_is_rejected()
    {
        var compressed = Gzip(Text(100_000, 3)).Concat(Gzip(Text(100_000, 4))).ToArray();

        await Assert.ThrowsAsync<PayloadRejectedException>(() => DecodeAsync(compressed[..^3], 8192));
    }

    [Fact]
    public void The_crc_of_a_suffix_follows_from_the_crcs_of_the_whole_and_the_prefix()
    {
        var data = Text(10_000, 5);
        foreach (var split in new[] { 0, 1, 7, 4_999, 9_999, 10_000 })
        {
            var whole = Crc32.HashToUInt32(data);
            var prefix = Crc32.HashToUInt32(data.AsSpan(0, split));

            Assert.Equal(Crc32.HashToUInt32(data.AsSpan(split)), Crc32Math.Suffix(whole, prefix, data.Length - split));
        }
    }
}
