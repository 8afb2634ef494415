namespace BulkDurable.Ingestion.Jobs;

/// <summary>
/// What an idempotency key maps to: the state of the Durable <c>IdempotencyKey</c> entity. The
/// <see cref="Generation"/> survives expiry, so a key reused after its window maps to a new job id.
/// </summary>
public sealed class IdempotencyKeyState
{
    /// <summary>How many times the key's window has expired.</summary>
    public int Generation { get; set; }

    /// <summary>The job the key maps to now, or <see langword="null"/> when free.</summary>
    public string? JobId { get; set; }

    /// <summary>SHA-256 of the payload the key was first used with.</summary>
    public string? PayloadSha256 { get; set; }

    /// <summary>When the key was first used (start of its window).</summary>
    public DateTimeOffset? AcceptedAt { get; set; }
}

/// <summary>The verdict on a submission that carries an idempotency key.</summary>
public enum IdempotencyVerdict
{
    /// <summary>The key is free (never used, or its window expired): start a new job.</summary>
    NewJob,

    /// <summary>Same key, same payload, within the window: return the original job.</summary>
    Replay,

    /// <summary>Same key, different payload, within the window: refuse (HTTP 422).</summary>
    Mismatch,
}

/// <summary>A verdict with the job it concerns.</summary>
/// <param name="Verdict">What to do.</param>
/// <param name="JobId">For <see cref="IdempotencyVerdict.NewJob"/>, the id the new job must have; otherwise the original job.</param>
public sealed record IdempotencyDecision(IdempotencyVerdict Verdict, string JobId);

/// <summary>
/// Idempotency rules: within the window, a key maps to exactly one job and one payload hash.
/// The new job's id is derived from (dataset, key, generation), so concurrent first uses of a key
/// compete for a single Durable instance id and exactly one job is created.
/// </summary>
public static class IdempotencyPolicy
{
    /// <summary>Decides what a submission with <paramref name="key"/> and <paramref name="payloadSha256"/> gets.</summary>
    public static IdempotencyDecision Decide(IdempotencyKeyState? state, string dataset, string key, string payloadSha256, DateTimeOffset now, TimeSpan window)
    {
        ArgumentException.ThrowIfNullOrEmpty(payloadSha256);
        var generation = state?.Generation ?? 0;
        if (state?.JobId is null || IsExpired(state, now, window))
        {
            var nextGeneration = state?.JobId is null ? generation : generation + 1;
            return new IdempotencyDecision(IdempotencyVerdict.NewJob, JobIds.ForIdempotencyKey(dataset, key, nextGeneration));
        }

        return PayloadMatch.IsSame(state.PayloadSha256, payloadSha256)
            ? new IdempotencyDecision(IdempotencyVerdict.Replay, state.JobId)
            : new IdempotencyDecision(IdempotencyVerdict.Mismatch, state.JobId);
    }

    /// <summary>
    /// Records a claim in the key's state (the entity's <c>Claim</c> operation): a free or expired
    /// key is taken by <paramref name="jobId"/>; a held key is left as is. Returns the decision for the claimant.
    /// </summary>
    public static IdempotencyDecision Claim(IdempotencyKeyState state, string dataset, string key, string jobId, string payloadSha256, DateTimeOffset now, TimeSpan window)
    {
        ArgumentNullException.ThrowIfNull(state);
        var decision = Decide(state, dataset, key, payloadSha256, now, window);
        if (decision.Verdict != IdempotencyVerdict.NewJob)
        {
            // The claimant may itself be the holder (a redelivered claim): that is a replay of itself.
            return decision;
        }

        if (state.JobId is not null)
        {
            state.Generation++;
        }

        state.JobId = jobId;
        state.PayloadSha256 = payloadSha256;
        state.AcceptedAt = now;
        return decision with { JobId = jobId };
    }

    /// <summary>Frees an expired key (the entity's scheduled <c>Expire</c> operation); returns false when it is still in its window.</summary>
    public static bool TryExpire(IdempotencyKeyState state, DateTimeOffset now, TimeSpan window)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.JobId is null || !IsExpired(state, now, window))
        {
            return false;
        }

        state.Generation++;
        state.JobId = null;
        state.PayloadSha256 = null;
        state.AcceptedAt = null;
        return true;
    }

    /// <summary>When the key's current window ends.</summary>
    public static DateTimeOffset? ExpiresAt(IdempotencyKeyState state, TimeSpan window) => state?.AcceptedAt + window;

    private static bool IsExpired(IdempotencyKeyState state, DateTimeOffset now, TimeSpan window) => state.AcceptedAt is { } at && now >= at + window;
}
