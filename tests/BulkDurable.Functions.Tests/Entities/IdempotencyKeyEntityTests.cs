using BulkDurable.Functions.Entities;
using BulkDurable.Functions.Orchestration;
using BulkDurable.Functions.Tests.Fakes;
using BulkDurable.Ingestion.Jobs;
using Microsoft.DurableTask.Entities;
using Moq;

namespace BulkDurable.Functions.Tests.Entities;

public sealed class IdempotencyKeyEntityTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Window = TimeSpan.FromHours(24);
    private static readonly EntityInstanceId Id = EntityIds.IdempotencyKey("sensor_readings", null, "k1");

    private readonly Mock<TaskEntityContext> _context = new();
    private readonly List<(EntityInstanceId Id, string Operation, object? Input, SignalEntityOptions? Options)> _signals = [];

    public IdempotencyKeyEntityTests()
    {
        _context.Setup(c => c.Id).Returns(Id);
        _context.Setup(c => c.SignalEntity(It.IsAny<EntityInstanceId>(), It.IsAny<string>(), It.IsAny<object?>(), It.IsAny<SignalEntityOptions?>()))
            .Callback<EntityInstanceId, string, object?, SignalEntityOptions?>((id, operation, input, options) => _signals.Add((id, operation, input, options)));
    }

    [Fact]
    public async Task The_first_claim_takes_the_key_and_schedules_its_expiry()
    {
        var state = new TestEntityState(null);
        var jobId = JobIds.ForIdempotencyKey("sensor_readings", "k1", 0);

        var decision = await RunAsync(state, "Claim", Claim(jobId, "sha-a"));

        Assert.Equal(new IdempotencyDecision(IdempotencyVerdict.NewJob, jobId), decision);
        var key = Assert.IsType<IdempotencyKeyState>(state.Value);
        Assert.Equal(jobId, key.JobId);
        Assert.Equal("sha-a", key.PayloadSha256);
        Assert.Equal(Now, key.AcceptedAt);
        var signal = Assert.Single(_signals);
        Assert.Equal((Id, "Expire"), (signal.Id, signal.Operation));
        Assert.Equal(Now + Window, signal.Options?.SignalTime);
        Assert.Equal(new ExpireRequest(0, Window), signal.Input);
    }

    [Fact]
    public async Task Concurrent_claims_produce_exactly_one_job()
    {
        var state = new TestEntityState(null);
        var jobId = JobIds.ForIdempotencyKey("sensor_readings", "k1", 0);

        // Operations on one entity run one at a time: the second claim sees the first one's state.
        var first = await RunAsync(state, "Claim", Claim(jobId, "sha-a"));
        var sameAgain = await RunAsync(state, "claim", Claim(jobId, "sha-a"));
        var otherPayload = await RunAsync(state, "Claim", Claim(jobId, "sha-b"));

        Assert.Equal(IdempotencyVerdict.NewJob, ((IdempotencyDecision)first!).Verdict);
        Assert.Equal(new IdempotencyDecision(IdempotencyVerdict.Replay, jobId), sameAgain);
        Assert.Equal(new IdempotencyDecision(IdempotencyVerdict.Mismatch, jobId), otherPayload);
        Assert.Single(_signals);
        Assert.Equal("sha-a", ((IdempotencyKeyState)state.Value!).PayloadSha256);
    }

    [Fact]
    public async Task The_scheduled_expiry_frees_the_key_for_a_new_generation()
    {
        var state = new TestEntityState(new IdempotencyKeyState { Generation = 0, JobId = "old", PayloadSha256 = "sha-a", AcceptedAt = Now - Window - TimeSpan.FromSeconds(1) });

        var expired = await RunAsync(state, "Expire", new ExpireRequest(0, Window), Now);

        Assert.Equal(true, expired);
        var key = (IdempotencyKeyState)state.Value!;
        Assert.Null(key.JobId);
        Assert.Equal(1, key.Generation);
        Assert.Empty(_signals);
        var reused = await RunAsync(state, "Claim", Claim(JobIds.ForIdempotencyKey("sensor_readings", "k1", 1), "sha-b"));
        Assert.Equal(IdempotencyVerdict.NewJob, ((IdempotencyDecision)reused!).Verdict);
    }

    [Fact]
    public async Task An_expiry_of_an_earlier_generation_changes_nothing()
    {
        var held = new IdempotencyKeyState { Generation = 3, JobId = "job3", PayloadSha256 = "sha", AcceptedAt = Now - Window - Window };
        var state = new TestEntityState(held);

        var expired = await RunAsync(state, "Expire", new ExpireRequest(2, Window), Now);

        Assert.Equal(false, expired);
        Assert.Equal("job3", ((IdempotencyKeyState)state.Value!).JobId);
        Assert.Empty(_signals);
    }

    [Fact]
    public async Task An_early_expiry_is_scheduled_again()
    {
        var state = new TestEntityState(new IdempotencyKeyState { Generation = 0, JobId = "job0", PayloadSha256 = "sha", AcceptedAt = Now });

        var expired = await RunAsync(state, "Expire", new ExpireRequest(0, Window), Now + Window - TimeSpan.FromMilliseconds(20));

        Assert.Equal(false, expired);
        Assert.Equal("job0", ((IdempotencyKeyState)state.Value!).JobId);
        var signal = Assert.Single(_signals);
        Assert.Equal("Expire", signal.Operation);
        Assert.True(signal.Options?.SignalTime >= Now + Window);
    }

    private static ClaimRequest Claim(string jobId, string sha) => new("sensor_readings", "k1", jobId, sha, Now, Window);

    private async Task<object?> RunAsync(TestEntityState state, string operation, object input, DateTimeOffset? clock = null)
    {
        var entity = new IdempotencyKeyEntity(new FixedTime(clock ?? Now));
        return await entity.RunAsync(new TestEntityOperation(operation, state, _context.Object, input));
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
