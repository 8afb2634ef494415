using BulkDurable.Ingestion.Catalog;
using BulkDurable.Ingestion.Diagnostics;
using BulkDurable.Ingestion.Jobs;
using BulkDurable.Ingestion.Loading;
using BulkDurable.Ingestion.Payloads;
using BulkDurable.Ingestion.Planning;
using BulkDurable.Ingestion.Results;
using BulkDurable.Ingestion.Serialization;
using BulkDurable.Ingestion.Staging;

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
    IFaultInjector faults)
{
    /// <summary>
    /// Step 0: records the job (<c>job.json</c>). When the job already exists its stored descriptor
    /// is returned; a caller must compare payload hashes before resuming it.
    /// </summary>
    /// <exception cref="UnknownDatasetException">The dataset is not in the catalog.</exception>
    public async Task<JobDescriptor> AcceptAsync(JobDescriptor job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        JobIds.Validate(job.JobId);
        catalog.Get(job.Dataset);
        await store.EnsureContainerAsync(cancellationToken).ConfigureAwait(false);
        var accepted = await store.WriteJsonIfAbsentAsync(BlobLayout.Job(job.JobId), job, IngestionJsonContext.Default.JobDescriptor, cancellationToken).ConfigureAwait(false);
        await faults.ReachedAsync(FaultPoint.JobAccepted, job.JobId, null, cancellationToken).ConfigureAwait(false);
        return accepted;
    }

    /// <summary>Reads a job's descriptor, or <see langword="null"/> for an unknown job.</summary>
    public Task<JobDescriptor?> ReadJobAsync(string jobId, CancellationToken cancellationToken) =>
        store.ReadJsonAsync(BlobLayout.Job(JobIds.Validate(jobId)), IngestionJsonContext.Default.JobDescriptor, cancellationToken);

    /// <summary>Step 1: checks the dataset's table and plans the job (or returns the existing plan).</summary>
    /// <exception cref="JobConflictException">The job has no plan but chunks in the ledger: its id was used before and its files are gone.</exception>
    public async Task<JobManifest> PlanAsync(JobDescriptor job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var existing = await planner.ReadManifestAsync(job.JobId, cancellationToken).ConfigureAwait(false);
        if (existing is not null)
        {
            return existing;
        }

        await verifier.VerifyAsync(catalog.Get(job.Dataset), cancellationToken).ConfigureAwait(false);
        if (await ledger.HasAnyChunkAsync(job.JobId, cancellationToken).ConfigureAwait(false))
        {
            // A new plan's chunk indexes would not mean what the ledger's do.
            throw new JobConflictException(job.JobId, $"job {job.JobId} has chunks in the ledger but no plan: its id was used before and its files are gone. Use a new job id");
        }

        return await planner.PlanAsync(job, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Step 1, for drivers: plans the job, reporting the permanent reasons a job cannot run (payload
    /// rejected, unknown dataset, dataset not matching its table) as an outcome rather than an
    /// exception. Transient failures still throw.
    /// </summary>
    public async Task<PlanOutcome> TryPlanAsync(JobDescriptor job, CancellationToken cancellationToken)
    {
        try
        {
            return new PlanOutcome(await PlanAsync(job, cancellationToken).ConfigureAwait(false), null);
        }
        catch (Exception ex) when (ex is PayloadRejectedException or DatasetConfigurationException or UnknownDatasetException or JobConflictException)
        {
            return new PlanOutcome(null, ex.Message);
        }
    }

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

    /// <summary>Step 3: loads one chunk exactly once in effect.</summary>
    /// <exception cref="RetryableIngestionException">A failure worth retrying.</exception>
    public Task<ChunkOutcome> LoadChunkAsync(ChunkDescriptor chunk, CancellationToken cancellationToken) =>
        loader.LoadAsync(chunk, cancellationToken);

    /// <summary>Step 4: totals, final state, failed-records file and <c>result.json</c>.</summary>
    public Task<JobResult> FinalizeAsync(FinalizeRequest request, CancellationToken cancellationToken) =>
        finalizer.FinalizeAsync(request, cancellationToken);
}
