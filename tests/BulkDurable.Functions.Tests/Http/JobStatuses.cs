using BulkDurable.Ingestion.Jobs;
using BulkDurable.Ingestion.Payloads;
using BulkDurable.Ingestion.Payloads.Scanning;
using BulkDurable.Ingestion.Results;

namespace BulkDurable.Functions.Tests.Http;

/// <summary>Job statuses as <see cref="JobStatusReader"/> returns them, for state-based tests.</summary>
internal static class JobStatuses
{
    private static readonly DateTimeOffset Submitted = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static JobDescriptor Job(string jobId = "job1") =>
        new(jobId, "sensor_readings", PayloadFormat.Ndjson, PayloadCompression.None, "uploads/u1", "ab12", 100, Submitted);

    public static JobStatus Running(int chunkCount = 4, int chunksLoaded = 1) =>
        new(Job(), JobState.Running, Snapshot(chunkCount, chunksLoaded, 0), [], null);

    public static JobStatus Accepted() => new(Job(), JobState.Accepted, Snapshot(0, 0, 0), [], null);

    public static JobStatus Finished(JobState state, int chunkCount, int chunksLoaded, long rejected = 0, string? error = null)
    {
        var failed = Enumerable.Range(chunksLoaded, chunkCount - chunksLoaded).Select(i => new FailedChunk(i, 10, "boom")).ToList();
        var result = new JobResult(
            "job1", "sensor_readings", state, chunkCount * 10, chunksLoaded * 10 - rejected, 0, 0, rejected, (chunkCount - chunksLoaded) * 10,
            chunkCount, chunksLoaded, failed, Array.Empty<PayloadProblem>(), error, rejected > 0, Submitted, Submitted.AddMinutes(1));
        return new JobStatus(Job(), state, Snapshot(chunkCount, chunksLoaded, failed.Count), [], result);
    }

    private static JobProgressSnapshot Snapshot(int chunkCount, int loaded, int failed) =>
        new(chunkCount, loaded, failed, chunkCount - loaded - failed, chunkCount * 10, loaded * 10, 0, 0, 0, chunkCount == 0 ? 0 : 100.0 * loaded / chunkCount, 100, null, Submitted, Submitted.AddMinutes(1));
}
