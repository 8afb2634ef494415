using BulkDurable.Ingestion.Configuration;
using BulkDurable.Ingestion.Jobs;

namespace BulkDurable.Ingestion.Tests.Jobs;

public sealed class JobRulesTests
{
    [Theory]
    [InlineData(10, 0, 1000, 0, false, false, 0.0, 1.0, JobState.Completed)]
    [InlineData(10, 0, 1000, 5, false, false, 0.0, 1.0, JobState.CompletedWithErrors)]
    [InlineData(10, 1, 1000, 0, false, false, 0.0, 1.0, JobState.Failed)]
    [InlineData(10, 1, 1000, 0, false, false, 0.1, 1.0, JobState.CompletedWithErrors)]
    [InlineData(10, 2, 1000, 0, false, false, 0.1, 1.0, JobState.Failed)]
    [InlineData(10, 0, 1000, 200, false, false, 0.0, 0.1, JobState.Failed)]
    [InlineData(10, 0, 1000, 0, true, false, 0.0, 1.0, JobState.CompletedWithErrors)]
    [InlineData(10, 3, 1000, 0, false, true, 0.0, 1.0, JobState.Cancelled)]
    [InlineData(0, 0, 0, 0, false, false, 0.0, 1.0, JobState.Completed)]
    public void The_final_state_follows_the_tolerated_failure_thresholds(
        int chunks, int notLoaded, long submitted, long rejected, bool problems, bool cancelled, double chunkRatio, double recordRatio, JobState expected)
    {
        var options = new IngestionOptions { ToleratedFailedChunkRatio = chunkRatio, ToleratedRejectedRecordRatio = recordRatio };

        Assert.Equal(expected, JobOutcomePolicy.Decide(chunks, notLoaded, submitted, rejected, problems, cancelled, options));
    }

    [Theory]
    [InlineData(0.0, 1, true)]
    [InlineData(0.1, 1, false)]
    [InlineData(0.1, 2, true)]
    public void Failure_is_certain_once_failed_chunks_pass_the_threshold(double toleratedChunkRatio, int failedChunks, bool certain)
    {
        var options = new IngestionOptions { ToleratedFailedChunkRatio = toleratedChunkRatio };

        Assert.Equal(certain, JobOutcomePolicy.IsFailureCertain(10, 1000, failedChunks, 0, options));
        Assert.False(JobOutcomePolicy.IsFailureCertain(10, 1000, 0, 0, options));
    }

    [Theory]
    [InlineData(1000, false)]
    [InlineData(1001, true)]
    public void More_rejections_than_the_cap_fail_the_job_whatever_the_tolerated_share(long rejected, bool failed)
    {
        var options = new IngestionOptions { ToleratedRejectedRecordRatio = 1.0, MaxRejectedRecords = 1000 };

        Assert.Equal(failed, JobOutcomePolicy.IsFailureCertain(10, 100_000, 0, rejected, options));
        Assert.Equal(failed ? JobState.Failed : JobState.CompletedWithErrors, JobOutcomePolicy.Decide(10, 0, 100_000, rejected, false, false, options));
        Assert.Equal(failed, JobOutcomePolicy.ThresholdBreached(10, 0, 100_000, rejected, options)?.Contains("MaxRejectedRecords", StringComparison.Ordinal) ?? false);
    }

    [Fact]
    public void Segments_cover_every_chunk_once()
    {
        var segments = ChunkSegments.Split(1234, 500);

        Assert.Equal([new ChunkSegment(0, 0, 500), new ChunkSegment(1, 500, 500), new ChunkSegment(2, 1000, 234)], segments);
        Assert.Empty(ChunkSegments.Split(0, 500));
    }

    [Fact]
    public void Backoff_grows_exponentially_up_to_the_cap_with_jitter_within_the_upper_half()
    {
        var options = new RetryOptions { FirstInterval = TimeSpan.FromSeconds(1), BackoffCoefficient = 2, MaxInterval = TimeSpan.FromSeconds(10) };
        var random = new Random(7);

        for (var retry = 1; retry <= 8; retry++)
        {
            var ceiling = Math.Min(Math.Pow(2, retry - 1), 10);
            var delay = Backoff.Delay(retry, options, random).TotalSeconds;
            Assert.InRange(delay, ceiling / 2, ceiling);
        }
    }
}
