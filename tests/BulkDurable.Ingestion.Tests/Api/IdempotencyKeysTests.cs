using BulkDurable.Ingestion.Api;

namespace BulkDurable.Ingestion.Tests.Api;

public sealed class IdempotencyKeysTests
{
    [Fact]
    public void An_absent_header_means_no_key()
    {
        Assert.True(IdempotencyKeys.TryParse([], out var key, out var problem));
        Assert.Null(key);
        Assert.Null(problem);
        Assert.True(IdempotencyKeys.TryParse(null, out key, out _));
        Assert.Null(key);
    }

    [Theory]
    [InlineData("order-2024-11-22")]
    [InlineData(" 3f2a9c1e-0b7d-4d4e-9d37-2b9f7a1c8e55 ")]
    [InlineData("a/b?c#d e")]
    public void A_printable_key_is_taken_trimmed(string value)
    {
        Assert.True(IdempotencyKeys.TryParse([value], out var key, out var problem));
        Assert.Null(problem);
        Assert.Equal(value.Trim(), key);
    }

    [Fact]
    public void Malformed_keys_are_400()
    {
        foreach (var values in new[] { new[] { "" }, ["   "], [new string('k', 256)], ["ключ"], ["a\u0001b"], ["one", "two"] })
        {
            Assert.False(IdempotencyKeys.TryParse(values, out var key, out var problem));
            Assert.Null(key);
            Assert.Equal(400, problem?.Status);
        }
    }

    [Fact]
    public void Entity_keys_are_scoped_to_the_dataset_and_safe_as_storage_keys()
    {
        var key = IdempotencyKeys.EntityKey("sensor_readings", "a/b?c#d\\e");

        Assert.StartsWith("sensor_readings:", key, StringComparison.Ordinal);
        Assert.Matches("^[a-z0-9_]+:[0-9a-f]{64}$", key);
        Assert.Equal(key, IdempotencyKeys.EntityKey("sensor_readings", "a/b?c#d\\e"));
        Assert.NotEqual(key, IdempotencyKeys.EntityKey("other", "a/b?c#d\\e"));
        Assert.NotEqual(key, IdempotencyKeys.EntityKey("sensor_readings", "a/b?c#d\\f"));
    }
}
