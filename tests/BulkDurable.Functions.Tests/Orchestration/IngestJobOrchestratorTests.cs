using System.Text.Json;
using BulkDurable.Functions.Entities;
using BulkDurable.Functions.Orchestration;
using BulkDurable.Functions.Tests.Fakes;
using BulkDurable.Ingestion.Jobs;
using BulkDurable.Ingestion.Running;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;
using Moq;

namespace BulkDurable.Functions.Tests.Orchestration;

public sealed class IngestJobOrchestratorTests
{
    [Fact]
    public async Task Plans_runs_one_segment_at_a_time_and_finalizes_once()
    {
        var harness = new OrchestrationHarness(OrchestrationHarness.Input(OrchestrationHarness.Job(), OrchestrationHarness.Settings(chunksPerSegment: 500)));
        harness.Activity<JobDescriptor, PlanSummary>(FunctionNames.PlanJob, _ => Task.FromResult(new PlanSummary(1050, 10_500, 0)));
        var finalized = new List<FinalizeRequest>();
        harness.Activity<FinalizeRequest, JobResult>(FunctionNames.FinalizeJob, request =>
        {
            finalized.Add(request);
            return Task.FromResult(OrchestrationHarness.Result(request.JobId));
        });
        var segments = new List<(SegmentInput Input, string? InstanceId)>();
        var running = 0;
        var maxRunning = 0;
        harness.Context.Setup(c => c.CallSubOrchestratorAsync<SegmentResult>(It.Is<TaskName>(n => n.Name == FunctionNames.LoadSegment), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Returns<TaskName, object?, TaskOptions?>(async (_, input, options) =>
            {
                segments.Add(((SegmentInput)input!, (options as SubOrchestrationOptions)?.InstanceId));
                maxRunning = Math.Max(maxRunning, ++running);
                await Task.Delay(5);
                running--;
                var segment = ((SegmentInput)input!).Segment;
                return new SegmentResult(segment.ChunkCount, 0, 0, [], false);
            });

        var result = await IngestJobOrchestrator.RunAsync(harness.Object);

        Assert.Equal(JobState.Completed, result.State);
        Assert.Equal([(0, 500), (500, 500), (1000, 50)], segments.Select(s => (s.Input.Segment.FirstChunk, s.Input.Segment.ChunkCount)));
        Assert.Equal(["job1:seg:0:r0", "job1:seg:1:r0", "job1:seg:2:r0"], segments.Select(s => s.InstanceId));
        Assert.Equal(1, maxRunning);
        var finalize = Assert.Single(finalized);
        Assert.False(finalize.Cancelled);
        Assert.Null(finalize.Error);
        Assert.Contains(harness.Signals, s => s.Operation == nameof(JobProgressEntity.Plan) && s.Id == EntityIds.JobProgress("job1"));
    }

    [Fact]
    public async Task Every_activity_call_retries_only_retryable_failures_with_the_configured_backoff()
    {
        var settings = OrchestrationHarness.Settings(maxAttempts: 5);
        var harness = new OrchestrationHarness(OrchestrationHarness.Input(OrchestrationHarness.Job(), settings));
        var planOptions = new List<TaskOptions?>();
        harness.Context.Setup(c => c.CallActivityAsync<PlanSummary>(It.Is<TaskName>(n => n.Name == FunctionNames.PlanJob), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Callback<TaskName, object?, TaskOptions?>((_, _, o) => planOptions.Add(o))
            .ReturnsAsync(new PlanSummary(0, 0, 0));
        var finalizeOptions = new List<TaskOptions?>();
        harness.Context.Setup(c => c.CallActivityAsync<JobResult>(It.Is<TaskName>(n => n.Name == FunctionNames.FinalizeJob), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Callback<TaskName, object?, TaskOptions?>((_, _, o) => finalizeOptions.Add(o))
            .ReturnsAsync(OrchestrationHarness.Result("job1"));

        await IngestJobOrchestrator.RunAsync(harness.Object);

        foreach (var options in planOptions.Concat(finalizeOptions))
        {
            var policy = options?.Retry?.Policy;
            Assert.NotNull(policy);
            Assert.Equal(5, policy.MaxNumberOfAttempts);
            Assert.Equal(TimeSpan.FromSeconds(2), policy.FirstRetryInterval);
            Assert.Equal(2, policy.BackoffCoefficient);
            Assert.Equal(TimeSpan.FromMinutes(1), policy.MaxRetryInterval);
        }
    }

    [Fact]
    public async Task A_rejected_payload_is_finalized_as_an_error_without_loading()
    {
        var harness = new OrchestrationHarness(OrchestrationHarness.Input(OrchestrationHarness.Job()));
        harness.Activity<JobDescriptor, PlanSummary>(FunctionNames.PlanJob, _ => Task.FromResult(PlanSummary.Rejected("Line 1: not JSON")));
        var finalized = new List<FinalizeRequest>();
        harness.Activity<FinalizeRequest, JobResult>(FunctionNames.FinalizeJob, request =>
        {
            finalized.Add(request);
            return Task.FromResult(OrchestrationHarness.Result(request.JobId, JobState.Failed, request.Error));
        });

        var result = await IngestJobOrchestrator.RunAsync(harness.Object);

        Assert.Equal(JobState.Failed, result.State);
        Assert.Equal("Line 1: not JSON", Assert.Single(finalized).Error);
        harness.Context.Verify(c => c.CallSubOrchestratorAsync<SegmentResult>(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>()), Times.Never);
    }

    [Fact]
    public async Task Stops_scheduling_segments_once_the_failure_threshold_is_exceeded()
    {
        var harness = new OrchestrationHarness(OrchestrationHarness.Input(OrchestrationHarness.Job(), OrchestrationHarness.Settings(chunksPerSegment: 10, toleratedFailedChunks: 0.1)));
        harness.Activity<JobDescriptor, PlanSummary>(FunctionNames.PlanJob, _ => Task.FromResult(new PlanSummary(50, 500, 0)));
        var finalized = new List<FinalizeRequest>();
        harness.Activity<FinalizeRequest, JobResult>(FunctionNames.FinalizeJob, request =>
        {
            finalized.Add(request);
            return Task.FromResult(OrchestrationHarness.Result(request.JobId, JobState.Failed));
        });
        var segmentsRun = new List<SegmentInput>();
        harness.Context.Setup(c => c.CallSubOrchestratorAsync<SegmentResult>(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Returns<TaskName, object?, TaskOptions?>((_, input, _) =>
            {
                var segment = (SegmentInput)input!;
                segmentsRun.Add(segment);

                // Three chunks of each segment fail: 6 of 50 after two segments exceeds the tolerated 10%.
                var failures = Enumerable.Range(segment.Segment.FirstChunk, 3).Select(i => new FailedChunk(i, 10, "boom")).ToList();
                return Task.FromResult(new SegmentResult(7, 3, 0, failures, false));
            });

        await IngestJobOrchestrator.RunAsync(harness.Object);

        Assert.Equal(2, segmentsRun.Count);
        Assert.Equal([0, 3], segmentsRun.Select(s => s.FailedBefore));
        var finalize = Assert.Single(finalized);
        Assert.Equal(6, finalize.Failures?.Count);
        Assert.False(finalize.Cancelled);
    }

    [Fact]
    public async Task Tolerated_failures_do_not_stop_the_job()
    {
        var harness = new OrchestrationHarness(OrchestrationHarness.Input(OrchestrationHarness.Job(), OrchestrationHarness.Settings(chunksPerSegment: 10, toleratedFailedChunks: 0.5)));
        harness.Activity<JobDescriptor, PlanSummary>(FunctionNames.PlanJob, _ => Task.FromResult(new PlanSummary(50, 500, 0)));
        harness.Activity<FinalizeRequest, JobResult>(FunctionNames.FinalizeJob, request => Task.FromResult(OrchestrationHarness.Result(request.JobId, JobState.CompletedWithErrors)));
        var segmentsRun = 0;
        harness.Context.Setup(c => c.CallSubOrchestratorAsync<SegmentResult>(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Returns(() =>
            {
                segmentsRun++;
                return Task.FromResult(new SegmentResult(9, 1, 0, [new FailedChunk(0, 10, "boom")], false));
            });

        await IngestJobOrchestrator.RunAsync(harness.Object);

        Assert.Equal(5, segmentsRun);
    }

    [Fact]
    public async Task Cancel_is_forwarded_to_the_running_segment_and_the_job_is_finalized_as_cancelled()
    {
        var harness = new OrchestrationHarness(OrchestrationHarness.Input(OrchestrationHarness.Job(), OrchestrationHarness.Settings(chunksPerSegment: 10)));
        harness.Activity<JobDescriptor, PlanSummary>(FunctionNames.PlanJob, _ => Task.FromResult(new PlanSummary(30, 300, 0)));
        var finalized = new List<FinalizeRequest>();
        harness.Activity<FinalizeRequest, JobResult>(FunctionNames.FinalizeJob, request =>
        {
            finalized.Add(request);
            return Task.FromResult(OrchestrationHarness.Result(request.JobId, JobState.Cancelled));
        });
        var segment = new TaskCompletionSource<SegmentResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        harness.Context.Setup(c => c.CallSubOrchestratorAsync<SegmentResult>(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Returns(() =>
            {
                calls++;
                return segment.Task;
            });

        var run = IngestJobOrchestrator.RunAsync(harness.Object);
        harness.Cancel.SetResult("stop");
        await WaitUntilAsync(() => harness.EventsSent.Count > 0);
        segment.SetResult(new SegmentResult(4, 0, 0, [], true));
        await run;

        Assert.Equal(1, calls);
        Assert.Equal(("job1:seg:0:r0", OrchestrationEvents.Cancel), Assert.Single(harness.EventsSent));
        Assert.True(Assert.Single(finalized).Cancelled);
    }

    [Fact]
    public async Task A_key_held_by_another_job_ends_the_job_without_loading_a_chunk()
    {
        var job = OrchestrationHarness.Job("kjob", key: "k1");
        var harness = new OrchestrationHarness(OrchestrationHarness.Input(job), "kjob");
        harness.Activity<JobDescriptor, PlanSummary>(FunctionNames.PlanJob, _ => Task.FromResult(new PlanSummary(3, 30, 0)));
        ClaimRequest? claim = null;
        harness.Entities.Setup(e => e.CallEntityAsync<IdempotencyDecision>(It.IsAny<EntityInstanceId>(), nameof(IdempotencyKeyEntity.Claim), It.IsAny<object?>(), It.IsAny<CallEntityOptions?>()))
            .Callback<EntityInstanceId, string, object?, CallEntityOptions?>((id, _, input, _) =>
            {
                Assert.Equal(EntityIds.IdempotencyKey("sensor_readings", null, "k1"), id);
                claim = (ClaimRequest)input!;
            })
            .ReturnsAsync(new IdempotencyDecision(IdempotencyVerdict.Replay, "other-job"));
        var finalized = new List<FinalizeRequest>();
        harness.Activity<FinalizeRequest, JobResult>(FunctionNames.FinalizeJob, request =>
        {
            finalized.Add(request);
            return Task.FromResult(OrchestrationHarness.Result(request.JobId, JobState.Failed, request.Error));
        });

        await IngestJobOrchestrator.RunAsync(harness.Object);

        Assert.Equal(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero), claim?.Now);
        Assert.Equal(TimeSpan.FromHours(24), claim?.Window);
        Assert.Equal("abc123", claim?.PayloadSha256);
        Assert.Contains("other-job", Assert.Single(finalized).Error, StringComparison.Ordinal);
        harness.Context.Verify(c => c.CallSubOrchestratorAsync<SegmentResult>(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>()), Times.Never);
    }

    [Theory]
    [InlineData("other-instance", 4, null)]
    [InlineData("kjob", 0, null)]
    [InlineData("kjob", 4, "not accepted")]
    public async Task An_input_that_is_not_ours_fails_the_orchestration_before_it_touches_the_job(string instanceId, int maxChunksInFlight, string? planVerdict)
    {
        var job = OrchestrationHarness.Job("kjob", key: "k1");
        var input = OrchestrationHarness.Input(job) with { Settings = OrchestrationHarness.Settings() with { MaxChunksInFlight = maxChunksInFlight } };
        var harness = new OrchestrationHarness(input, instanceId);
        harness.Activity<JobDescriptor, PlanSummary>(FunctionNames.PlanJob, _ => Task.FromResult(planVerdict is null ? new PlanSummary(3, 30, 0) : PlanSummary.Untrusted(planVerdict)));

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => IngestJobOrchestrator.RunAsync(harness.Object));

        Assert.Contains("input rejected", failure.Message, StringComparison.Ordinal);
        Assert.Empty(harness.Signals);
        harness.Entities.Verify(e => e.CallEntityAsync<IdempotencyDecision>(It.IsAny<EntityInstanceId>(), It.IsAny<string>(), It.IsAny<object?>(), It.IsAny<CallEntityOptions?>()), Times.Never);
        harness.Context.Verify(c => c.CallActivityAsync<JobResult>(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>()), Times.Never);
        harness.Context.Verify(c => c.CallSubOrchestratorAsync<SegmentResult>(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>()), Times.Never);
    }

    [Fact]
    public async Task A_claimed_key_lets_the_job_run()
    {
        var job = OrchestrationHarness.Job("kjob", key: "k1");
        var harness = new OrchestrationHarness(OrchestrationHarness.Input(job), "kjob");
        harness.Entities.Setup(e => e.CallEntityAsync<IdempotencyDecision>(It.IsAny<EntityInstanceId>(), nameof(IdempotencyKeyEntity.Claim), It.IsAny<object?>(), It.IsAny<CallEntityOptions?>()))
            .ReturnsAsync(new IdempotencyDecision(IdempotencyVerdict.NewJob, "kjob"));
        harness.Activity<JobDescriptor, PlanSummary>(FunctionNames.PlanJob, _ => Task.FromResult(new PlanSummary(0, 0, 0)));
        harness.Activity<FinalizeRequest, JobResult>(FunctionNames.FinalizeJob, request => Task.FromResult(OrchestrationHarness.Result(request.JobId)));

        var result = await IngestJobOrchestrator.RunAsync(harness.Object);

        Assert.Equal(JobState.Completed, result.State);
    }

    [Fact]
    public async Task A_redrive_clears_failures_skips_the_claim_and_uses_new_segment_ids()
    {
        var job = OrchestrationHarness.Job("kjob", key: "k1");
        var harness = new OrchestrationHarness(OrchestrationHarness.Input(job, OrchestrationHarness.Settings(chunksPerSegment: 10), redrive: true, run: 2), "kjob");
        harness.Activity<JobDescriptor, PlanSummary>(FunctionNames.PlanJob, _ => Task.FromResult(new PlanSummary(10, 100, 0)));
        harness.Activity<FinalizeRequest, JobResult>(FunctionNames.FinalizeJob, request => Task.FromResult(OrchestrationHarness.Result(request.JobId)));
        string? instanceId = null;
        harness.Context.Setup(c => c.CallSubOrchestratorAsync<SegmentResult>(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Callback<TaskName, object?, TaskOptions?>((_, _, options) => instanceId = (options as SubOrchestrationOptions)?.InstanceId)
            .ReturnsAsync(new SegmentResult(10, 0, 0, [], false));

        await IngestJobOrchestrator.RunAsync(harness.Object);

        Assert.Equal(nameof(JobProgressEntity.ClearFailures), harness.Signals[0].Operation);
        Assert.Equal("kjob:seg:0:r2", instanceId);
        harness.Entities.Verify(e => e.CallEntityAsync<IdempotencyDecision>(It.IsAny<EntityInstanceId>(), It.IsAny<string>(), It.IsAny<object?>(), It.IsAny<CallEntityOptions?>()), Times.Never);
    }

    [Fact]
    public async Task A_failed_segment_ends_the_job_with_an_error()
    {
        var harness = new OrchestrationHarness(OrchestrationHarness.Input(OrchestrationHarness.Job(), OrchestrationHarness.Settings(chunksPerSegment: 10)));
        harness.Activity<JobDescriptor, PlanSummary>(FunctionNames.PlanJob, _ => Task.FromResult(new PlanSummary(30, 300, 0)));
        var finalized = new List<FinalizeRequest>();
        harness.Activity<FinalizeRequest, JobResult>(FunctionNames.FinalizeJob, request =>
        {
            finalized.Add(request);
            return Task.FromResult(OrchestrationHarness.Result(request.JobId, JobState.Failed, request.Error));
        });
        harness.Context.Setup(c => c.CallSubOrchestratorAsync<SegmentResult>(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Returns(Task.FromException<SegmentResult>(OrchestrationHarness.Failure(FunctionNames.LoadSegment, new InvalidOperationException("index unreadable"))));

        await IngestJobOrchestrator.RunAsync(harness.Object);

        // The error names the segment and the failure's type; an unexpected exception's own text may
        // hold server or table names and stays in the log.
        var error = Assert.Single(finalized).Error;
        Assert.Contains("Segment 0 failed", error, StringComparison.Ordinal);
        Assert.Contains("InvalidOperationException", error, StringComparison.Ordinal);
        Assert.DoesNotContain("index unreadable", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_custom_status_stays_small()
    {
        var harness = new OrchestrationHarness(OrchestrationHarness.Input(OrchestrationHarness.Job(), OrchestrationHarness.Settings(chunksPerSegment: 10)));
        var progress = new JobProgress();
        progress.ApplyPlan(100_000, 1_000_000_000, 0);
        for (var i = 0; i < 100_000; i += 2)
        {
            progress.Apply(new ChunkOutcome("job1", i, 10_000, 10_000, 0, 0, 0, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddSeconds(i)));
        }

        harness.Progress = progress;
        harness.Activity<JobDescriptor, PlanSummary>(FunctionNames.PlanJob, _ => Task.FromResult(new PlanSummary(20, 200, 0)));
        harness.Activity<FinalizeRequest, JobResult>(FunctionNames.FinalizeJob, request => Task.FromResult(OrchestrationHarness.Result(request.JobId)));
        harness.Context.Setup(c => c.CallSubOrchestratorAsync<SegmentResult>(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .ReturnsAsync(new SegmentResult(10, 0, 0, [], false));

        await IngestJobOrchestrator.RunAsync(harness.Object);

        Assert.NotEmpty(harness.CustomStatuses);
        Assert.All(harness.CustomStatuses, status => Assert.True(JsonSerializer.SerializeToUtf8Bytes(status).Length < 2048));
        // The progress is the run's own tally (no entity read per segment).
        Assert.Contains(harness.CustomStatuses, s => s is JobOrchestrationStatus { Phase: "Loading", Progress.ChunksLoaded: 20 });
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }
}
