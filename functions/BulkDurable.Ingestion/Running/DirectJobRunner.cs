using System.Runtime.CompilerServices;
using System.Threading.Channels;
using BulkDurable.Ingestion.Configuration;
using BulkDurable.Ingestion.Diagnostics;
using BulkDurable.Ingestion.Jobs;
using BulkDurable.Ingestion.Loading;
using BulkDurable.Ingestion.Planning;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BulkDurable.Ingestion.Running;

/// <summary>
/// Runs a job in-process, without Durable Functions: the <see cref="IngestionSteps"/> in a bounded
/// parallel loop, with exponential back-off and jitter for retryable failures.
/// <para>
/// A job that is not planned yet is planned and loaded at once: the planner hands each chunk over
/// with its bytes as soon as it is cut, so loading starts with the first chunk and the payload is
/// read once (the plan is deterministic, so this is as exactly-once as loading from a finished plan).
/// Then whatever the plan holds that is not in the ledger is loaded. Running a job again resumes it:
/// chunks already in the ledger are skipped. Cancelling stops cleanly: chunks in flight roll back and
/// the job is finalized as cancelled, ready to be resumed. Once the failures so far make the job fail
/// whatever happens next (<see cref="JobOutcomePolicy.IsFailureCertain"/>), no new chunk starts.
/// </para>
/// </summary>
public sealed class DirectJobRunner
{
    private readonly IngestionSteps _steps;
    private readonly OrchestrationOptions _options;
    private readonly IngestionOptions _ingestion;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<DirectJobRunner> _logger;

    /// <summary>Creates the runner.</summary>
    public DirectJobRunner(IngestionSteps steps, IOptions<OrchestrationOptions> options, IOptions<IngestionOptions> ingestion, TimeProvider timeProvider, ILogger<DirectJobRunner> logger)
    {
        _steps = steps;
        _options = options.Value;
        _ingestion = ingestion.Value;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>Runs (or resumes) a job to its end.</summary>
    /// <param name="job">The job; when a job with this id exists, its payload and dataset must be the same.</param>
    /// <param name="parallelism">Chunks loaded at once; <see cref="OrchestrationOptions.MaxChunksInFlight"/> when null.</param>
    /// <param name="progress">Receives a snapshot after each chunk.</param>
    /// <param name="cancellationToken">Stops the run; the job is finalized as cancelled.</param>
    /// <exception cref="JobConflictException">A different job already uses this id.</exception>
    public async Task<DirectRunResult> RunAsync(JobDescriptor job, int? parallelism, IProgress<JobProgressSnapshot>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var started = _timeProvider.GetTimestamp();
        var accepted = (await _steps.AcceptAsync(job, cancellationToken).ConfigureAwait(false)).Job;
        if (!PayloadMatch.IsSame(accepted, job.Dataset, job.PayloadSha256))
        {
            throw new JobConflictException(job.JobId, accepted);
        }

        var run = new Run(this, parallelism ?? _options.MaxChunksInFlight, progress, cancellationToken);
        var plan = await run.PlanAndLoadAsync(accepted).ConfigureAwait(false);
        if (plan?.Manifest is not { } manifest)
        {
            var failed = await _steps.FinalizeAsync(new FinalizeRequest(job.JobId, run.Cancelled, plan?.Error, run.Failures), CancellationToken.None).ConfigureAwait(false);
            return new DirectRunResult(failed, 0, run.RecordsLoaded, _timeProvider.GetElapsedTime(started));
        }

        var skipped = await run.LoadPendingAsync(manifest).ConfigureAwait(false);
        var result = await _steps.FinalizeAsync(new FinalizeRequest(job.JobId, run.Cancelled, Failures: run.Failures), CancellationToken.None).ConfigureAwait(false);
        return new DirectRunResult(result, skipped, run.RecordsLoaded, _timeProvider.GetElapsedTime(started));
    }

    /// <summary>The state of one run of a job.</summary>
    private sealed class Run(DirectJobRunner runner, int parallelism, IProgress<JobProgressSnapshot>? progress, CancellationToken cancellationToken)
    {
        private readonly Lock _gate = new();
        private readonly HashSet<int> _failed = [];
        private JobProgress _tracker = new();
        private int _loadedNow;
        private long _recordsLoadedNow;
        private bool _hopeless;
        private JobManifest? _manifest;

        public List<FailedChunk> Failures { get; } = [];

        public bool Cancelled { get; private set; }

        /// <summary>Records of the chunks this run loaded (not those it found in the ledger).</summary>
        public long RecordsLoaded
        {
            get
            {
                lock (_gate)
                {
                    return _recordsLoadedNow;
                }
            }
        }

        private ParallelOptions Parallel => new() { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken };

        /// <summary>Plans the job (or finds its plan), loading the chunks the planner hands over meanwhile.</summary>
        public async Task<PlanOutcome?> PlanAndLoadAsync(JobDescriptor job)
        {
            // Bounded: a planner ahead of the loaders waits, so at most this many chunks are in memory.
            var handedOver = Channel.CreateBounded<PlannedChunk>(new BoundedChannelOptions(parallelism * 2) { SingleWriter = true });
            var loading = System.Threading.Tasks.Parallel.ForEachAsync(handedOver.Reader.ReadAllAsync(cancellationToken), Parallel, async (chunk, token) =>
            {
                using (chunk)
                {
                    await LoadAsync(chunk.Descriptor, t => runner._steps.LoadChunkAsync(chunk, t), token).ConfigureAwait(false);
                }
            });

            // Cancelling stops the loading at once, but not the planning: a read of the payload, it
            // makes the cancelled job's totals exact. Chunks cut after cancelling are dropped.
            async ValueTask HandOverAsync(PlannedChunk chunk, CancellationToken token)
            {
                try
                {
                    if (!cancellationToken.IsCancellationRequested)
                    {
                        await handedOver.Writer.WriteAsync(chunk, cancellationToken).ConfigureAwait(false);
                        return;
                    }
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                }

                chunk.Dispose();
            }

            PlanOutcome? plan;
            try
            {
                plan = await WithRetriesAsync(job.JobId, null, token => runner._steps.TryPlanAsync(job, HandOverAsync, token), CancellationToken.None).ConfigureAwait(false);
            }
            finally
            {
                handedOver.Writer.TryComplete();
                await WhenLoadedAsync(loading).ConfigureAwait(false);
                while (handedOver.Reader.TryRead(out var unread))
                {
                    unread.Dispose();
                }
            }

            Cancelled |= cancellationToken.IsCancellationRequested;
            return plan;
        }

        /// <summary>Loads the plan's chunks that are not in the ledger; returns the chunks that were there when this run started.</summary>
        public async Task<int> LoadPendingAsync(JobManifest manifest)
        {
            _manifest = manifest;
            // Not cancellable: after a cancel this read is what makes the job's final totals exact.
            var ledger = await runner._steps.ReadProgressAsync(manifest, CancellationToken.None).ConfigureAwait(false);
            var skipped = ledger.Loaded.Count - _loadedNow;
            lock (_gate)
            {
                // From here on, progress is the ledger's (exact, planned totals) plus this run's failures.
                foreach (var failure in Failures)
                {
                    ledger.ApplyFailure(failure);
                }

                _tracker = ledger;
                _hopeless = Failures.Count > 0 && IsFailureCertain();
            }

            Report();
            Cancelled |= cancellationToken.IsCancellationRequested;
            if (!Cancelled)
            {
                await WhenLoadedAsync(System.Threading.Tasks.Parallel.ForEachAsync(PendingChunksAsync(manifest), Parallel, (chunk, token) =>
                    new ValueTask(LoadAsync(chunk, t => runner._steps.LoadChunkAsync(chunk, t), token)))).ConfigureAwait(false);
            }

            return skipped;
        }

        private async Task WhenLoadedAsync(Task loading)
        {
            try
            {
                await loading.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                Cancelled = true;
            }
        }

        private async IAsyncEnumerable<ChunkDescriptor> PendingChunksAsync(JobManifest manifest, [EnumeratorCancellation] CancellationToken token = default)
        {
            foreach (var segment in ChunkSegments.Split(manifest.ChunkCount, runner._options.ChunksPerSegment))
            {
                if (Volatile.Read(ref _hopeless))
                {
                    yield break;
                }

                foreach (var chunk in await runner._steps.GetPendingChunksAsync(manifest.JobId, segment.FirstChunk, segment.ChunkCount, token).ConfigureAwait(false))
                {
                    if (!_failed.Contains(chunk.Index))
                    {
                        yield return chunk;
                    }
                }
            }
        }

        private async Task LoadAsync(ChunkDescriptor chunk, Func<CancellationToken, Task<ChunkOutcome>> load, CancellationToken token)
        {
            if (Volatile.Read(ref _hopeless))
            {
                return;
            }

            try
            {
                var outcome = await WithRetriesAsync(chunk.JobId, chunk.Index, load, token).ConfigureAwait(false);
                lock (_gate)
                {
                    _tracker.Apply(outcome);
                    _loadedNow += outcome.Replayed ? 0 : 1;
                    _recordsLoadedNow += outcome.Replayed ? 0 : outcome.Records;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.ChunkFailed(runner._logger, ex, chunk.JobId, chunk.Index);
                // The client sees the report; the log above keeps the exception's own text.
                var failure = new FailedChunk(chunk.Index, chunk.RecordCount, FailureReport.Describe(ex).ToString());
                lock (_gate)
                {
                    _tracker.ApplyFailure(failure);
                    _failed.Add(chunk.Index);
                    Failures.Add(failure);

                    // Chunks in flight finish; no new one starts. A redrive resumes the rest.
                    _hopeless |= _manifest is not null && IsFailureCertain();
                }
            }

            Report();
        }

        private bool IsFailureCertain() =>
            JobOutcomePolicy.IsFailureCertain(_manifest!.ChunkCount, _manifest.RecordCount, _tracker.Failed.Count, _tracker.Rejected + _tracker.PlanRejected, runner._ingestion);

        private void Report()
        {
            if (progress is null)
            {
                return;
            }

            JobProgressSnapshot snapshot;
            lock (_gate)
            {
                snapshot = _tracker.Snapshot(runner._timeProvider.GetUtcNow());
            }

            progress.Report(snapshot);
        }

        /// <summary>
        /// Runs a step again, with exponential back-off and jitter, while it fails with a retryable
        /// error (<see cref="FailureClassifier"/>) and attempts are left.
        /// </summary>
        private async Task<T> WithRetriesAsync<T>(string jobId, int? chunkIndex, Func<CancellationToken, Task<T>> step, CancellationToken token)
        {
            var retry = runner._options.Retry;
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    return await step(token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException && FailureClassifier.IsRetryable(ex) && attempt < retry.MaxAttempts && !token.IsCancellationRequested)
                {
                    var delay = Backoff.Delay(attempt, retry, Random.Shared);
                    if (chunkIndex is { } index)
                    {
                        Log.ChunkRetrying(runner._logger, ex, jobId, index, attempt, (long)delay.TotalMilliseconds);
                    }
                    else
                    {
                        Log.PlanRetrying(runner._logger, ex, jobId, attempt, (long)delay.TotalMilliseconds);
                    }

                    await Task.Delay(delay, runner._timeProvider, token).ConfigureAwait(false);
                }
            }
        }
    }
}

/// <summary>The end of a direct run.</summary>
/// <param name="Result">The job's result, as finalized.</param>
/// <param name="ChunksSkipped">Chunks that were already in the ledger when the run started.</param>
/// <param name="RecordsLoaded">
/// Records of the chunks this run loaded, each inserted, updated, unchanged or rejected (the work
/// of this run, for its rate; chunks an earlier run loaded are not counted).
/// </param>
/// <param name="Elapsed">Wall-clock time of the run.</param>
public sealed record DirectRunResult(JobResult Result, int ChunksSkipped, long RecordsLoaded, TimeSpan Elapsed);

/// <summary>A job id is already used by a job with another payload or dataset, or under another plan.</summary>
public sealed class JobConflictException : Exception
{
    /// <summary>Creates the exception for a job id held by a job with another payload or dataset.</summary>
    public JobConflictException(string jobId, JobDescriptor existing)
        : base($"Job {jobId} already exists with another payload or dataset (dataset '{existing?.Dataset}', payload SHA-256 {existing?.PayloadSha256}). Use a new job id.") =>
        Existing = existing ?? throw new ArgumentNullException(nameof(existing));

    /// <summary>Creates the exception with the reason the job id cannot be used.</summary>
    public JobConflictException(string jobId, string reason)
        : base($"Job {jobId}: {reason}.")
    {
    }

    /// <summary>The job that holds the id, when known.</summary>
    public JobDescriptor? Existing { get; }
}
