using BulkDurable.Ingestion.Jobs;

namespace BulkDurable.Ingestion.Tests.Jobs;

public sealed class IdempotencyPolicyTests
{
    private static readonly DateTimeOffset T0 = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Window = TimeSpan.FromHours(24);

    [Fact]
    public void A_new_key_gets_a_job_id_derived_from_dataset_key_and_generation()
    {
        var first = IdempotencyPolicy.Decide(null, "ds", "key-1", "aa", T0, Window);
        var again = IdempotencyPolicy.Decide(new IdempotencyKeyState(), "ds", "key-1", "bb", T0, Window);

        Assert.Equal(IdempotencyVerdict.NewJob, first.Verdict);
        Assert.Equal(first.JobId, again.JobId);
        Assert.NotEqual(first.JobId, IdempotencyPolicy.Decide(null, "other", "key-1", "aa", T0, Window).JobId);
        Assert.True(JobIds.IsValid(first.JobId));
    }

    [Fact]
    public void The_same_key_and_payload_within_the_window_replays_the_job()
    {
        var state = new IdempotencyKeyState();
        var claim = IdempotencyPolicy.Claim(state, "ds", "k", "job-1", "aa", T0, Window);

        var replay = IdempotencyPolicy.Decide(state, "ds", "k", "AA", T0.AddHours(23), Window);

        Assert.Equal(IdempotencyVerdict.NewJob, claim.Verdict);
        Assert.Equal(new IdempotencyDecision(IdempotencyVerdict.Replay, "job-1"), replay);
    }

    [Fact]
    public void The_same_key_with_another_payload_within_the_window_is_a_mismatch()
    {
        var state = new IdempotencyKeyState();
        IdempotencyPolicy.Claim(state, "ds", "k", "job-1", "aa", T0, Window);

        Assert.Equal(new IdempotencyDecision(IdempotencyVerdict.Mismatch, "job-1"), IdempotencyPolicy.Decide(state, "ds", "k", "bb", T0.AddHours(1), Window));
    }

    [Fact]
    public void After_the_window_the_key_maps_to_a_new_job_id()
    {
        var state = new IdempotencyKeyState();
        var first = IdempotencyPolicy.Decide(state, "ds", "k", "aa", T0, Window);
        IdempotencyPolicy.Claim(state, "ds", "k", first.JobId, "aa", T0, Window);

        var later = IdempotencyPolicy.Decide(state, "ds", "k", "aa", T0.AddHours(25), Window);
        Assert.True(IdempotencyPolicy.TryExpire(state, T0.AddHours(25), Window));
        var afterExpiry = IdempotencyPolicy.Decide(state, "ds", "k", "aa", T0.AddHours(25), Window);

        Assert.Equal(IdempotencyVerdict.NewJob, later.Verdict);
        Assert.NotEqual(first.JobId, later.JobId);
        Assert.Equal(later.JobId, afterExpiry.JobId);
    }

    [Fact]
    public void A_second_claim_of_a_held_key_leaves_it_to_the_first_job()
    {
        var state = new IdempotencyKeyState();
        IdempotencyPolicy.Claim(state, "ds", "k", "job-1", "aa", T0, Window);

        var second = IdempotencyPolicy.Claim(state, "ds", "k", "job-2", "bb", T0.AddMinutes(1), Window);

        Assert.Equal(IdempotencyVerdict.Mismatch, second.Verdict);
        Assert.Equal("job-1", state.JobId);
        Assert.False(IdempotencyPolicy.TryExpire(state, T0.AddHours(1), Window));
    }
}
