using System.Text.Json;
using BulkDurable.Ingestion.Jobs;

namespace BulkDurable.Ingestion.Tests.Jobs;

public sealed class ChunkSetTests
{
    [Fact]
    public void Adjacent_chunks_merge_into_ranges()
    {
        var set = new ChunkSet();
        foreach (var index in new[] { 3, 1, 2, 0, 7, 5, 6 })
        {
            Assert.True(set.Add(index));
        }

        Assert.Equal([new ChunkRange(0, 4), new ChunkRange(5, 8)], set.Ranges);
        Assert.Equal(7, set.Count);
        Assert.False(set.Add(2));
    }

    [Fact]
    public void Removing_splits_a_range()
    {
        var set = new ChunkSet([new ChunkRange(0, 10)]);

        Assert.True(set.Remove(4));
        Assert.False(set.Remove(4));

        Assert.Equal([new ChunkRange(0, 4), new ChunkRange(5, 10)], set.Ranges);
        Assert.False(set.Contains(4));
        Assert.True(set.Contains(9));
    }

    [Fact]
    public void Missing_chunks_are_the_gaps_up_to_the_count()
    {
        var set = new ChunkSet([new ChunkRange(1, 3), new ChunkRange(5, 6)]);

        Assert.Equal([0, 3, 4, 6, 7], set.Missing(8));
        Assert.Equal([new ChunkRange(0, 1), new ChunkRange(3, 5), new ChunkRange(6, 8)], set.MissingRanges(8));
    }

    [Fact]
    public void A_set_of_100000_chunks_loaded_in_order_serializes_to_a_few_bytes()
    {
        var set = new ChunkSet();
        for (var i = 0; i < 100_000; i++)
        {
            set.Add(i);
        }

        var json = JsonSerializer.Serialize(set);

        Assert.True(json.Length < 64, json);
        Assert.Equal(100_000, JsonSerializer.Deserialize<ChunkSet>(json)!.Count);
    }
}
