using BulkDurable.Functions.Orchestration;
using BulkDurable.Ingestion.Jobs;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;

namespace BulkDurable.Functions.Tests.Fakes;

/// <summary>
/// A mocked <see cref="TaskOrchestrationContext"/> with the calls an orchestrator makes recorded:
/// activities, sub-orchestrations, entity calls and signals, events sent, custom statuses.
/// </summary>
internal sealed class OrchestrationHarness
{
    public OrchestrationHarness(object input, string instanceId = "job1")
    {
        Context.Setup(c => c.InstanceId).Returns(instanceId);
        Context.Setup(c => c.CurrentUtcDateTime).Returns(new DateTime(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc));
        Context.Setup(c => c.IsReplaying).Returns(false);
        Context.Setup(c => c.CreateReplaySafeLogger(It.IsAny<string>())).Returns(NullLogger.Instance);
        Context.Setup(c => c.Entities).Returns(Entities.Object);
        Context.Setup(c => c.WaitForExternalEvent<string>(OrchestrationEvents.Cancel, It.IsAny<CancellationToken>())).Returns(() => Cancel.Task);
        Context.Setup(c => c.SetCustomStatus(It.IsAny<object?>())).Callback<object?>(status => CustomStatuses.Add(status));
        Context.Setup(c => c.SendEvent(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object>()))
            .Callback<string, string, object>((id, name, _) => EventsSent.Add((id, name)));
        SetInput(input);
        Entities.Setup(e => e.SignalEntityAsync(It.IsAny<EntityInstanceId>(), It.IsAny<string>(), It.IsAny<object?>(), It.IsAny<SignalEntityOptions?>()))
            .Callback<EntityInstanceId, string, object?, SignalEntityOptions?>((id, operation, value, _) => Signals.Add((id, operation, value)))
            .Returns(Task.CompletedTask);
        Entities.Setup(e => e.CallEntityAsync<JobProgress>(It.IsAny<EntityInstanceId>(), "Get", It.IsAny<object?>(), It.IsAny<CallEntityOptions?>()))
            .ReturnsAsync(() => Progress);
    }

    public Mock<TaskOrchestrationContext> Context { get; } = new();

    public Mock<TaskOrchestrationEntityFeature> Entities { get; } = new();

    public TaskCompletionSource<string> Cancel { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public List<object?> CustomStatuses { get; } = [];

    public List<(string InstanceId, string Name)> EventsSent { get; } = [];

    public List<(EntityInstanceId Id, string Operation, object? Input)> Signals { get; } = [];

    public JobProgress Progress { get; set; } = new();

    public TaskOrchestrationContext Object => Context.Object;

    public void SetInput<T>(T input) => Context.Setup(c => c.GetInput<T>()).Returns(input);

    /// <summary>Answers an activity with a function of its input.</summary>
    public void Activity<TInput, TResult>(string name, Func<TInput, Task<TResult>> run) =>
        Context.Setup(c => c.CallActivityAsync<TResult>(It.Is<TaskName>(n => n.Name == name), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Returns<TaskName, object?, TaskOptions?>((_, input, _) => run((TInput)input!));

    /// <summary>Answers <c>LoadChunk</c> with a function of the chunk its request names.</summary>
    public void LoadChunk(Func<BulkDurable.Ingestion.Planning.ChunkDescriptor, Task<ChunkOutcome>> run) =>
        Activity<LoadChunkRequest, ChunkOutcome>(FunctionNames.LoadChunk, request => run(request.Chunk));

    /// <summary>Records every options object an activity was called with.</summary>
    public List<TaskOptions?> OptionsOf<TResult>(string name)
    {
        var options = new List<TaskOptions?>();
        Context.Setup(c => c.CallActivityAsync<TResult>(It.Is<TaskName>(n => n.Name == name), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Callback<TaskName, object?, TaskOptions?>((_, _, o) => options.Add(o));
        return options;
    }

    public static TaskFailedException Failure(string task, Exception cause) => new(task, 1, cause);

    public static IngestJobInput Input(JobDescriptor job, OrchestrationSettings? settings = null, bool redrive = false, int run = 0) =>
        new(job, settings ?? Settings(), redrive, run);

    public static OrchestrationSettings Settings(int maxInFlight = 3, int chunksPerSegment = 500, double toleratedFailedChunks = 0, int maxAttempts = 8) =>
        new(maxInFlight, chunksPerSegment, new RetrySettings(maxAttempts, TimeSpan.FromSeconds(2), 2, TimeSpan.FromMinutes(1)), toleratedFailedChunks, 1, TimeSpan.FromHours(24));

    public static JobDescriptor Job(string jobId = "job1", string? key = null) =>
        new(jobId, "sensor_readings", Ingestion.Payloads.PayloadFormat.Ndjson, Ingestion.Payloads.PayloadCompression.None, "uploads/u1", "abc123", 1000, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), key);

    public static JobResult Result(string jobId, JobState state = JobState.Completed, string? error = null) =>
        new(jobId, "sensor_readings", state, 0, 0, 0, 0, 0, 0, 0, 0, [], [], error, false, null, DateTimeOffset.UnixEpoch);
}
