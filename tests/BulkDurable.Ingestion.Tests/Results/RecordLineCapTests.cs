using System.Text;
using BulkDurable.Ingestion.Results;

namespace BulkDurable.Ingestion.Tests.Results;

public sealed class RecordLineCapTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(1024)]
    public async Task Lines_past_the_count_are_dropped_whole_however_the_writes_split_them(int writeSize)
    {
        var text = string.Concat(Enumerable.Range(1, 10).Select(i => $"{{\"n\":{i}}}\n"));
        using var file = new MemoryStream();
        var cap = new RecordLineCap(file, maxLines: 4, maxBytes: long.MaxValue);

        await WriteInPiecesAsync(cap, Encoding.UTF8.GetBytes(text), writeSize);

        Assert.Equal(string.Concat(Enumerable.Range(1, 4).Select(i => $"{{\"n\":{i}}}\n")), Encoding.UTF8.GetString(file.ToArray()));
        Assert.Equal(4, cap.LinesKept);
        Assert.Equal(6, cap.LinesDropped);
        Assert.True(cap.IsFull);
    }

    [Fact]
    public void A_line_that_starts_under_the_byte_limit_is_kept_whole_and_the_next_is_dropped()
    {
        using var file = new MemoryStream();
        var cap = new RecordLineCap(file, maxLines: long.MaxValue, maxBytes: 10);

        cap.Write("12345678\n"u8);
        Assert.False(cap.IsFull);
        cap.Write("a line that crosses the limit\n"u8);
        cap.Write("dropped\n"u8);

        Assert.Equal("12345678\na line that crosses the limit\n", Encoding.UTF8.GetString(file.ToArray()));
        Assert.Equal(2, cap.LinesKept);
        Assert.Equal(1, cap.LinesDropped);
        Assert.Equal(file.Length, cap.BytesKept);
    }

    [Fact]
    public async Task A_cap_of_zero_keeps_nothing()
    {
        using var file = new MemoryStream();
        var cap = new RecordLineCap(file, maxLines: 0, maxBytes: long.MaxValue);

        await cap.WriteAsync("a\nb\n"u8.ToArray(), Ct);

        Assert.Equal(0, file.Length);
        Assert.Equal(2, cap.LinesDropped);
    }

    private static async Task WriteInPiecesAsync(Stream target, byte[] bytes, int size)
    {
        for (var offset = 0; offset < bytes.Length; offset += size)
        {
            var piece = bytes.AsMemory(offset, Math.Min(size, bytes.Length - offset));
            if (offset / size % 2 == 0)
            {
                await target.WriteAsync(piece, Ct);
            }
            else
            {
                target.Write(piece.Span);
            }
        }
    }
}
