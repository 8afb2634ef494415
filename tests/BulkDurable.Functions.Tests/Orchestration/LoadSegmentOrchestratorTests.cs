using BulkDurable.Functions.Entities;
using BulkDurable.Functions.Orchestration;
using BulkDurable.Functions.Tests.Fakes;
using BulkDurable.Ingestion.Jobs;
using BulkDurable.Ingestion.Loading;
using BulkDurable.Ingestion.Planning;
using Microsoft.DurableTask;
using Moq;

namespace BulkDurable.Functions.Tests.Orchestration;

public sealed class LoadSegmentOrchestratorTests
{
    [Theory]
    [InlineData(1, 20)]
    [InlineData(3, 40)]
    [InlineData(8, 100)]
    public async Task The_window_never_exceeds_max_chunks_in_flight_and_every_chunk_is_loaded_once(int maxInFlight, int chunks)
    {
        var harness = Segment(maxInFlight, chunks, out var input);
        var running = 0;
        var maxRunning = 0;
        var loadedChunks = new List<int>();
        var random = new Random(42);
        harness.LoadChunk(async chunk =>
        {
            lock (loadedChunks)
            {
                maxRunning = Math.Max(maxRunning, ++running);
            }

            await Task.Delay(random.Next(1, 6));
            lock (loadedChunks)
            {
                running--;
                loadedChunks.Add(chunk.Index);
            }

            return Outcome(chunk);
        });

        var result = await LoadSegmentOrchestrator.RunAsync(harness.Object);

        Assert.Equal(maxInFlight, maxRunning);
        Assert.Equal(Enumerable.Range(input.Segment.FirstChunk, chunks), loadedChunks.Order());
        Assert.Equal(chunks, result.ChunksLoaded);
        Assert.False(result.Stopped);
        var batches = harness.Signals.Where(s => s.Operation == nameof(JobProgressEntity.RecordMany) && s.Id == EntityIds.JobProgress("job1")).Select(s => (ChunkOutcome[])s.Input!).ToList();
        Assert.All(batches, b => Assert.InRange(b.Length, 1, LoadSegmentOrchestrator.ProgressBatch));
        Assert.Equal(Enumerable.Range(input.Segment.FirstChunk, chunks), batches.SelectMany(b => b).Select(o => o.ChunkIndex).Order());
        Assert.Equal((chunks + LoadSegmentOrchestrator.ProgressBatch - 1) / LoadSegmentOrchestrator.ProgressBatch, batches.Count);
    }

    [Fact]
    public async Task Loads_only_the_chunks_the_ledger_does_not_have()
    {
        var harness = Segment(2, 10, out var input);
        PendingChunksRequest? asked = null;
        harness.Activity<PendingChunksRequest, IReadOnlyList<ChunkDescriptor>>(FunctionNames.GetPendingChunks, request =>
        {
            asked = request;
            return Task.FromResult<IReadOnlyList<ChunkDescriptor>>([Chunk(503), Chunk(507)]);
        });
        var loaded = new List<int>();
        harness.LoadChunk(chunk =>
        {
            loaded.Add(chunk.Index);
            return Task.FromResult(Outcome(chunk));
        });

        var result = await LoadSegmentOrchestrator.RunAsync(harness.Object);

        Assert.Equal(new PendingChunksRequest("job1", 500, 10), asked);
        Assert.Equal([503, 507], loaded);
        Assert.Equal(2, result.ChunksLoaded);
        Assert.Equal(input.Segment.FirstChunk, asked?.FirstChunk);
    }

    [Fact]
    public async Task Chunk_loads_retry_only_retryable_failures_with_the_configured_backoff()
    {
        var harness = Segment(2, 3, out _);
        var options = new List<TaskOptions?>();
        harness.Context.Setup(c => c.CallActivityAsync<ChunkOutcome>(It.Is<TaskName>(n => n.Name == FunctionNames.LoadChunk), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Callback<TaskName, object?, TaskOptions?>((_, _, o) => options.Add(o))
            .Returns<TaskName, object?, TaskOptions?>((_, chunk, _) => Task.FromResult(Outcome(((LoadChunkRequest)chunk!).Chunk)));

        await LoadSegmentOrchestrator.RunAsync(harness.Object);

        Assert.Equal(3, options.Count);
        Assert.All(options, o =>
        {
            var policy = o?.Retry?.Policy;
            Assert.NotNull(policy);
            Assert.Equal(8, policy.MaxNumberOfAttempts);
            Assert.Equal(TimeSpan.FromSeconds(2), policy.FirstRetryInterval);
            Assert.Equal(2, policy.BackoffCoefficient);
            Assert.Equal(TimeSpan.FromMinutes(1), policy.MaxRetryInterval);
        });
    }

    [Fact]
    public async Task A_permanently_failed_chunk_is_reported_and_the_segment_goes_on()
    {
        var harness = Segment(2, 5, out _, toleratedFailedChunks: 1);
        harness.LoadChunk(chunk => chunk.Index == 502
            ? Task.FromException<ChunkOutcome>(OrchestrationHarness.Failure(FunctionNames.LoadChunk, new ChunkLoadFailedException("Chunk 502: [database-refused] column mismatch")))
            : Task.FromResult(Outcome(chunk)));

        var result = await LoadSegmentOrchestrator.RunAsync(harness.Object);

        Assert.Equal(4, result.ChunksLoaded);
        Assert.Equal(1, result.ChunksFailed);
        var failure = Assert.Single(result.Failures);
        Assert.Equal(502, failure.ChunkIndex);
        Assert.Contains("column mismatch", failure.Error, StringComparison.Ordinal);
        Assert.Contains(harness.Signals, s => s.Operation == nameof(JobProgressEntity.Fail) && s.Input is FailedChunk { ChunkIndex: 502 });
    }

    [Fact]
    public async Task Stops_scheduling_once_the_failure_threshold_is_exceeded_and_lets_chunks_in_flight_finish()
    {
        // 10 chunks in the job, none tolerated: the first failure dooms it.
        var harness = Segment(1, 10, out _, toleratedFailedChunks: 0);
        var started = new List<int>();
        harness.LoadChunk(chunk =>
        {
            started.Add(chunk.Index);
            return chunk.Index == 501
                ? Task.FromException<ChunkOutcome>(OrchestrationHarness.Failure(FunctionNames.LoadChunk, new InvalidOperationException("boom")))
                : Task.FromResult(Outcome(chunk));
        });

        var result = await LoadSegmentOrchestrator.RunAsync(harness.Object);

        Assert.Equal([500, 501], started);
        Assert.True(result.Stopped);
        Assert.Equal(1, result.ChunksLoaded);
        Assert.Equal(1, result.ChunksFailed);
    }

    [Fact]
    public async Task Cancel_stops_new_chunks_and_waits_for_those_in_flight()
    {
        var harness = Segment(2, 10, out _);
        var loads = new List<TaskCompletionSource<ChunkOutcome>>();
        harness.LoadChunk(chunk =>
        {
            var load = new TaskCompletionSource<ChunkOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (loads)
            {
                loads.Add(load);
            }

            return load.Task;
        });

        var run = LoadSegmentOrchestrator.RunAsync(harness.Object);
        await WaitUntilAsync(() => loads.Count == 2);
        harness.Cancel.SetResult("stop");
        loads[0].SetResult(Outcome(Chunk(500)));
        await WaitUntilAsync(() => run.IsCompleted || loads.Count > 2);
        Assert.False(run.IsCompleted, "a chunk in flight must finish before the segment returns");
        loads[1].SetResult(Outcome(Chunk(501)));
        var result = await run;

        Assert.Equal(2, loads.Count);
        Assert.True(result.Stopped);
        Assert.Equal(2, result.ChunksLoaded);
    }

    [Fact]
    public void Only_retryable_failures_are_retried()
    {
        Assert.True(RetryPolicies.IsRetryable(TaskFailureDetails.FromException(new RetryableIngestionException("deadlock"))));
        Assert.True(RetryPolicies.IsRetryable(TaskFailureDetails.FromException(new AggregateException(new RetryableIngestionException("throttled")))));
        Assert.False(RetryPolicies.IsRetryable(TaskFailureDetails.FromException(new InvalidOperationException("bad data"))));
        Assert.False(RetryPolicies.IsRetryable(TaskFailureDetails.FromException(new InvalidOperationException("wrapped", new ArgumentException("x")))));
    }

    [Fact]
    public void A_cap_below_the_first_interval_is_raised_to_it()
    {
        var policy = RetryPolicies.Activity(new RetrySettings(3, TimeSpan.FromSeconds(10), 2, TimeSpan.FromSeconds(1))).Retry?.Policy;

        Assert.Equal(TimeSpan.FromSeconds(10), policy?.MaxRetryInterval);
    }

    private static OrchestrationHarness Segment(int maxInFlight, int chunks, out SegmentInput input, double toleratedFailedChunks = 0)
    {
        input = new SegmentInput("job1", new ChunkSegment(1, 500, chunks), new PlanSummary(500 + chunks, (500 + chunks) * 10L, 0), OrchestrationHarness.Settings(maxInFlight, toleratedFailedChunks: toleratedFailedChunks), 0, 0);
        var harness = new OrchestrationHarness(input, "job1:seg:1:r0");
        var segment = input.Segment;
        harness.Activity<PendingChunksRequest, IReadOnlyList<ChunkDescriptor>>(FunctionNames.GetPendingChunks, _ =>
            Task.FromResult<IReadOnlyList<ChunkDescriptor>>(Enumerable.Range(segment.FirstChunk, segment.ChunkCount).Select(Chunk).ToList()));
        return harness;
    }

    private static ChunkDescriptor Chunk(int index) => new("job1", index, index * 1000L, 1000, (index * 10L) + 1, (index * 10L) + 1, 10);

    private static ChunkOutcome Outcome(ChunkDescriptor chunk) =>
        new(chunk.JobId, chunk.Index, chunk.RecordCount, chunk.RecordCount, 0, 0, 0, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddSeconds(1));

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 300 && !condition(); i++)
        {
            await Task.Delay(10);
        }
    }
}
