using BulkDurable.Ingestion.Catalog;
using BulkDurable.Ingestion.Configuration;
using BulkDurable.Ingestion.Diagnostics;
using BulkDurable.Ingestion.Jobs;
using BulkDurable.Ingestion.Loading;
using BulkDurable.Ingestion.Payloads;
using BulkDurable.Ingestion.Planning;
using BulkDurable.Ingestion.Results;
using BulkDurable.Ingestion.Serialization;
using BulkDurable.Ingestion.Staging;
using Microsoft.Extensions.Options;

namespace BulkDurable.Ingestion.Running;

/// <summary>
/// The runner API: the steps of a job, the same for every driver. The Durable orchestration calls
/// them as activities; the direct runner (CLI, benchmarks) calls them in a bounded parallel loop.
/// No job logic lives in a driver. Every step is idempotent and safe to repeat.
/// </summary>
public sealed class IngestionSteps(
    IngestionBlobStore store,
    DatasetCatalog catalog,
    DatasetSchemaVerifier verifier,
    ChunkPlanner planner,
    ChunkIndexReader index,
    ChunkLedger ledger,
    ChunkLoader loader,
    JobFinalizer finalizer,
    IOptions<IngestionOptions> options,
    IFaultInjector faults)
{
    /// <summary>
    /// Step 0: records the job (<c>job.json</c>), with the chunking settings it will be planned with
    /// fixed from then on. When the job already exists its stored descriptor is returned, marked as
    /// not recorded by this call; a caller must compare payload hashes before resuming it.
    /// </summary>
    /// <remarks>
    /// The stored descriptor differs from <paramref name="job"/> even when this call records it (the
    /// chunking defaults are filled in), so whether the job is new is <see cref="JobAcceptance.IsNew"/>,
    /// never a comparison of descriptors.
    /// </remarks>
    /// <exception cref="UnknownDatasetException">The dataset is not in the catalog.</exception>
    public async Task<JobAcceptance> AcceptAsync(JobDescriptor job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        JobIds.Validate(job.JobId);
        catalog.Get(job.Dataset);
        await store.EnsureContainerAsync(cancellationToken).ConfigureAwait(false);
        var settled = job with
        {
            ChunkRecords = job.ChunkRecords ?? options.Value.ChunkRecords,
            ChunkBytes = job.ChunkBytes ?? options.Value.ChunkBytes,
        };
        var stored = await store.WriteJsonIfAbsentAsync(BlobLayout.Job(job.JobId), settled, IngestionJsonContext.Default.JobDescriptor, cancellationToken).ConfigureAwait(false);
        await faults.ReachedAsync(FaultPoint.JobAccepted, job.JobId, null, cancellationToken).ConfigureAwait(false);
        return new JobAcceptance(stored.Value, IsNew: stored.Created);
    }

    /// <summary>Reads a job's descriptor, or <see langword="null"/> for an unknown job.</summary>
    public Task<JobDescriptor?> ReadJobAsync(string jobId, CancellationToken cancellationToken) =>
        store.ReadJsonAsync(BlobLayout.Job(JobIds.Validate(jobId)), IngestionJsonContext.Default.JobDescriptor, cancellationToken);

    /// <summary>
    /// Step 1: checks the dataset's table and plans the job (or returns the existing plan). The job
    /// is planned as accepted (<c>job.json</c>): its chunking settings and payload give the same
    /// chunks whenever it is planned.
    /// </summary>
    /// <param name="job">The job (accepted before).</param>
    /// <param name="onChunk">Receives each chunk with its bytes as it is cut, when the payload allows (see <see cref="ChunkPlanner.PlanAsync"/>).</param>
    /// <param name="cancellationToken">Cancels planning.</param>
    /// <exception cref="JobConflictException">The ledger holds chunks of this job id under another plan: its id was used before.</exception>
    public async Task<JobManifest> PlanAsync(JobDescriptor job, Func<PlannedChunk, CancellationToken, ValueTask>? onChunk, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var existing = await planner.ReadManifestAsync(job.JobId, cancellationToken).ConfigureAwait(false);
        if (existing is not null)
        {
            return existing;
        }

        var accepted = await ReadJobAsync(job.JobId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Job {job.JobId} has not been accepted.");
        var dataset = catalog.Get(accepted.Dataset);
        await verifier.VerifyAsync(dataset, cancellationToken).ConfigureAwait(false);
        var settings = new PlanSettings(
            accepted.ChunkRecords ?? options.Value.ChunkRecords,
            accepted.ChunkBytes ?? options.Value.ChunkBytes,
            dataset.MaxRecordBytes);
        var planId = settings.PlanIdFor(accepted);
        var planned = await ledger.ReadPlanIdsAsync(job.JobId, cancellationToken).ConfigureAwait(false);
        if (planned.Any(other => other != planId))
        {
            // Chunks of this job id were loaded under another plan: its indexes would not mean what ours do.
            throw new JobConflictException(job.JobId, $"job {job.JobId} has chunks in the ledger from another plan: its id was used before (with other settings, or before its files were lost). Use a new job id");
        }

        return await planner.PlanAsync(accepted, settings, onChunk, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc cref="PlanAsync(JobDescriptor, Func{PlannedChunk, CancellationToken, ValueTask}?, CancellationToken)"/>
    public Task<JobManifest> PlanAsync(JobDescriptor job, CancellationToken cancellationToken) =>
        PlanAsync(job, onChunk: null, cancellationToken);

    /// <summary>
    /// Step 1, for drivers: plans the job, reporting the permanent reasons a job cannot run (payload
    /// rejected, unknown dataset, dataset not matching its table, job id conflict) as an outcome
    /// rather than an exception. Transient failures still throw.
    /// </summary>
    public async Task<PlanOutcome> TryPlanAsync(JobDescriptor job, Func<PlannedChunk, CancellationToken, ValueTask>? onChunk, CancellationToken cancellationToken)
    {
        try
        {
            return new PlanOutcome(await PlanAsync(job, onChunk, cancellationToken).ConfigureAwait(false), null);
        }
        catch (Exception ex) when (ex is PayloadRejectedException or DatasetConfigurationException or UnknownDatasetException or JobConflictException)
        {
            return new PlanOutcome(null, ex.Message);
        }
    }

    /// <inheritdoc cref="TryPlanAsync(JobDescriptor, Func{PlannedChunk, CancellationToken, ValueTask}?, CancellationToken)"/>
    public Task<PlanOutcome> TryPlanAsync(JobDescriptor job, CancellationToken cancellationToken) =>
        TryPlanAsync(job, onChunk: null, cancellationToken);

    /// <summary>
    /// Step 2: the chunks among [<paramref name="first"/>, <paramref name="first"/> + <paramref name="count"/>)
    /// that are not in the ledger yet. On a fresh job that is all of them; on a resumed or redriven
    /// job only what is left.
    /// </summary>
    public async Task<IReadOnlyList<ChunkDescriptor>> GetPendingChunksAsync(string jobId, int first, int count, CancellationToken cancellationToken)
    {
        var manifest = await planner.ReadManifestAsync(JobIds.Validate(jobId), cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Job {jobId} has not been planned.");
        var loaded = await ledger.ReadLoadedAsync(manifest, first, count, cancellationToken).ConfigureAwait(false);
        if (loaded.Count >= count)
        {
            return [];
        }

        var chunks = await index.ReadAsync(manifest, first, count, cancellationToken).ConfigureAwait(false);
        return loaded.Count == 0 ? chunks : chunks.Where(c => !loaded.Contains(c.Index)).ToList();
    }

    /// <summary>The job's progress so far, folded from the ledger.</summary>
    public Task<JobProgress> ReadProgressAsync(JobManifest manifest, CancellationToken cancellationToken) =>
        ledger.ReadProgressAsync(manifest, cancellationToken);

    /// <summary>Step 3, for a chunk the planner handed over: loads it exactly once in effect.</summary>
    /// <exception cref="RetryableIngestionException">A failure worth retrying.</exception>
    public Task<ChunkOutcome> LoadChunkAsync(PlannedChunk chunk, CancellationToken cancellationToken) =>
        loader.LoadAsync(chunk, cancellationToken);

    /// <summary>Step 3: loads one chunk exactly once in effect.</summary>
    /// <exception cref="RetryableIngestionException">A failure worth retrying.</exception>
    public Task<ChunkOutcome> LoadChunkAsync(ChunkDescriptor chunk, CancellationToken cancellationToken) =>
        loader.LoadAsync(chunk, cancellationToken);

    /// <summary>Step 4: totals, final state, failed-records file and <c>result.json</c>.</summary>
    public Task<JobResult> FinalizeAsync(FinalizeRequest request, CancellationToken cancellationToken) =>
        finalizer.FinalizeAsync(request, cancellationToken);
}
