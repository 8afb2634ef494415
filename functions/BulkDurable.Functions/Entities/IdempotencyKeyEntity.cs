using BulkDurable.Functions.Orchestration;
using BulkDurable.Ingestion.Jobs;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Entities;

namespace BulkDurable.Functions.Entities;

/// <summary>
/// One client idempotency key of one dataset (<see cref="IdempotencyKeyState"/>: the job it maps to,
/// the payload hash, when the window started, the generation). Operations run one at a time, so of
/// concurrent claims exactly one takes a free key. Each claim schedules the key's own expiry at the
/// end of its window; the generation survives expiry, so a reused key maps to a new job id. The rules
/// are the engine's <see cref="IdempotencyPolicy"/>.
/// </summary>
public sealed class IdempotencyKeyEntity(TimeProvider timeProvider) : TaskEntity<IdempotencyKeyState>
{
    // A scheduled expiry that arrives early (clocks differ between hosts) is retried no sooner than this.
    private static readonly TimeSpan MinimumRetryDelay = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Claims the key for a job (the job orchestration's first step). A free or expired key is taken;
    /// a held key stays with its job, whose decision is returned.
    /// </summary>
    public IdempotencyDecision Claim(ClaimRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var decision = IdempotencyPolicy.Claim(State, request.Dataset, request.Key, request.JobId, request.PayloadSha256, request.Now, request.Window);
        if (decision.Verdict == IdempotencyVerdict.NewJob)
        {
            ScheduleExpiry(request.Window, request.Now);
        }

        return decision;
    }

    /// <summary>
    /// Frees the key at the end of its window (a scheduled signal). Returns false when the signal is
    /// for an earlier generation or arrived early; an early one is scheduled again.
    /// </summary>
    public bool Expire(ExpireRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Generation != State.Generation)
        {
            return false;
        }

        var now = timeProvider.GetUtcNow();
        if (IdempotencyPolicy.TryExpire(State, now, request.Window))
        {
            return true;
        }

        if (State.JobId is not null)
        {
            ScheduleExpiry(request.Window, now);
        }

        return false;
    }

    /// <summary>The key's state.</summary>
    public IdempotencyKeyState Get() => State;

    /// <summary>The entity function.</summary>
    [Function(FunctionNames.IdempotencyKeyEntity)]
    public static Task RunEntityAsync([EntityTrigger] TaskEntityDispatcher dispatcher)
    {
        ArgumentNullException.ThrowIfNull(dispatcher);
        return dispatcher.DispatchAsync<IdempotencyKeyEntity>();
    }

    private void ScheduleExpiry(TimeSpan window, DateTimeOffset now)
    {
        var expiresAt = IdempotencyPolicy.ExpiresAt(State, window) ?? now + window;
        var at = expiresAt > now + MinimumRetryDelay ? expiresAt : now + MinimumRetryDelay;
        Context.SignalEntity(Context.Id, nameof(Expire), new ExpireRequest(State.Generation, window), new SignalEntityOptions { SignalTime = at });
    }
}
