using BulkDurable.Ingestion.Jobs;
using BulkDurable.Ingestion.Payloads;

namespace BulkDurable.Ingestion.Tests.Jobs;

public sealed class PayloadMatchTests
{
    private static readonly JobDescriptor Job = new("j1", "sensor_readings", PayloadFormat.Ndjson, PayloadCompression.None, "uploads/u1", "abcdef01", 10, DateTimeOffset.UnixEpoch);

    [Theory]
    [InlineData("sensor_readings", "abcdef01", true)]
    [InlineData("sensor_readings", "ABCDEF01", true)]
    [InlineData("sensor_readings", "abcdef02", false)]
    [InlineData("other_dataset", "abcdef01", false)]
    public void A_job_has_the_same_payload_only_with_the_same_dataset_and_hash_in_either_case(string dataset, string sha256, bool same) =>
        Assert.Equal(same, PayloadMatch.IsSame(Job, dataset, sha256));

    [Theory]
    [InlineData(null, "abc")]
    [InlineData("abc", null)]
    [InlineData("", "")]
    public void A_missing_hash_matches_nothing(string? payloadSha256, string? other) =>
        Assert.False(PayloadMatch.IsSame(payloadSha256, other));
}
