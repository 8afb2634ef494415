using System.Text.Json;
using BulkDurable.Functions.Entities;
using BulkDurable.Functions.Orchestration;
using BulkDurable.Functions.Tests.Fakes;
using BulkDurable.Ingestion.Jobs;
using Microsoft.DurableTask.Entities;
using Moq;

namespace BulkDurable.Functions.Tests.Entities;

public sealed class JobProgressEntityTests
{
    private readonly Mock<TaskEntityContext> _context = new();
    private readonly TestEntityState _state = new(null);

    public JobProgressEntityTests() => _context.Setup(c => c.Id).Returns(EntityIds.JobProgress("job1"));

    [Fact]
    public async Task A_batch_counts_each_chunk_once_even_when_it_repeats_one_already_counted()
    {
        await RunAsync("Plan", new PlanSummary(3, 30, 0));
        Assert.Equal(true, await RunAsync("Record", Outcome(0, inserted: 10)));

        Assert.Equal(2, await RunAsync("RecordMany", new[] { Outcome(0, inserted: 10), Outcome(1, inserted: 10), Outcome(2, inserted: 10) }));

        var progress = (JobProgress)(await RunAsync("Get", null))!;
        Assert.Equal(3, progress.Loaded.Count);
        Assert.Equal(30, progress.Inserted);
    }

    [Fact]
    public async Task A_redelivered_outcome_never_counts_twice()
    {
        await RunAsync("Plan", new PlanSummary(3, 30, 2));
        var outcome = Outcome(0, inserted: 8, rejected: 2);

        Assert.Equal(true, await RunAsync("Record", outcome));
        Assert.Equal(false, await RunAsync("Record", outcome));
        Assert.Equal(false, await RunAsync("Record", outcome with { Replayed = true }));
        Assert.Equal(true, await RunAsync("Record", Outcome(1, inserted: 10)));

        var progress = (JobProgress)(await RunAsync("Get", null))!;
        Assert.Equal(3, progress.ChunkCount);
        Assert.Equal(2, progress.Loaded.Count);
        Assert.Equal(18, progress.Inserted);
        Assert.Equal(2, progress.Rejected);
        Assert.Equal(2, progress.PlanRejected);
    }

    [Fact]
    public async Task Failures_are_folded_once_and_cleared_for_a_redrive()
    {
        await RunAsync("Plan", new PlanSummary(3, 30, 0));
        Assert.Equal(true, await RunAsync("Fail", new FailedChunk(2, 10, "boom")));
        Assert.Equal(false, await RunAsync("Fail", new FailedChunk(2, 10, "boom")));
        Assert.Single(((JobProgress)_state.Value!).Errors);

        await RunAsync("ClearFailures", null);
        Assert.Equal(0, ((JobProgress)_state.Value!).Failed.Count);

        Assert.Equal(true, await RunAsync("Record", Outcome(2, inserted: 10)));
        Assert.Empty(((JobProgress)_state.Value!).Errors);
    }

    [Fact]
    public async Task The_state_survives_serialization_with_the_worker_options_and_stays_small()
    {
        await RunAsync("Plan", new PlanSummary(100_000, 1_000_000_000, 0));
        for (var i = 0; i < 100_000; i++)
        {
            await RunAsync("Record", Outcome(i, inserted: 10_000));
        }

        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        FunctionsJson.Configure(options);
        var json = JsonSerializer.Serialize((JobProgress)_state.Value!, options);
        var copy = JsonSerializer.Deserialize<JobProgress>(json, options)!;

        Assert.True(json.Length < 2_000, $"state is {json.Length} characters");
        Assert.Equal(100_000, copy.Loaded.Count);
        Assert.False(copy.Apply(Outcome(99_999, inserted: 1)));
        Assert.Equal(1_000_000_000, copy.Inserted);
    }

    private static ChunkOutcome Outcome(int index, long inserted, long rejected = 0) =>
        new("job1", index, (int)(inserted + rejected), inserted, 0, 0, rejected, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddSeconds(1));

    private async Task<object?> RunAsync(string operation, object? input) =>
        await new JobProgressEntity().RunAsync(new TestEntityOperation(operation, _state, _context.Object, input));
}
