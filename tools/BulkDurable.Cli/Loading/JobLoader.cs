using BulkDurable.Cli.Output;
using BulkDurable.Cli.Progress;
using BulkDurable.Ingestion.Catalog;
using BulkDurable.Ingestion.Jobs;
using BulkDurable.Ingestion.Payloads;
using BulkDurable.Ingestion.Running;
using BulkDurable.Ingestion.Staging;

namespace BulkDurable.Cli.Loading;

/// <summary>
/// Runs <c>bulkdurable load</c>: stages the payload (or, for an existing job, checks that the file is
/// its payload and stages nothing), then hands the job to the engine's <see cref="DirectJobRunner"/>.
/// No job logic lives here: planning, loading, resuming and finalizing are the runner's steps.
/// </summary>
internal sealed class JobLoader(
    IngestionSteps steps,
    PayloadStager stager,
    IngestionBlobStore store,
    DirectJobRunner runner,
    DatasetCatalog catalog,
    CliEnvironment environment,
    ProgressRenderer renderer)
{
    /// <summary>Loads (or resumes) the job and returns its summary and result.</summary>
    /// <exception cref="CliException">The request cannot be carried out (usage error).</exception>
    public async Task<(LoadSummary Summary, JobResult Result)> LoadAsync(LoadRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var dataset = catalog.Get(request.Dataset);
        var job = request.JobId is { } jobId && await steps.ReadJobAsync(jobId, cancellationToken).ConfigureAwait(false) is { } existing
            ? await ResumeAsync(request, dataset, existing, cancellationToken).ConfigureAwait(false)
            : await StageAsync(request, dataset, cancellationToken).ConfigureAwait(false);

        renderer.Notice($"Job {job.JobId}: loading {request.DisplayName} into {dataset.Name} ({dataset.Schema}.{dataset.Table}); planning…");
        var progress = new LoadProgress(renderer, environment.TimeProvider);
        DirectRunResult run;
        using (cancellationToken.Register(() => renderer.Notice("Stopping: chunks in flight roll back, loaded chunks stay loaded (Ctrl-C again to abort at once)…")))
        {
            try
            {
                run = await runner.RunAsync(job, request.Parallelism, progress, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                progress.Finish();
            }
        }

        return (LoadSummary.From(run), run.Result);
    }

    private async Task<JobDescriptor> ResumeAsync(LoadRequest request, Dataset dataset, JobDescriptor existing, CancellationToken cancellationToken)
    {
        if (existing.Dataset != dataset.Name)
        {
            throw CliException.Usage($"job {existing.JobId} loads dataset '{existing.Dataset}', not '{dataset.Name}'. Use a new --job id.");
        }

        if (request.Format is { } format && format != existing.Format)
        {
            throw CliException.Usage($"job {existing.JobId} was started as {existing.Format.ToName()}, not {format.ToName()}.");
        }

        renderer.Notice($"Job {existing.JobId} exists: checking that {request.DisplayName} is its payload (SHA-256)…");
        string sha256;
        if (request.FromStandardInput)
        {
            // Standard input can be read only once: stage it to hash it, then keep only the job's own copy.
            var staged = await StageStreamAsync(environment.StandardInput, null, cancellationToken).ConfigureAwait(false);
            await store.DeleteIfExistsAsync(staged.BlobName, CancellationToken.None).ConfigureAwait(false);
            sha256 = staged.Sha256;
        }
        else
        {
            sha256 = await FileHash.Sha256Async(request.Path, cancellationToken).ConfigureAwait(false);
        }

        if (!PayloadMatch.IsSame(existing.PayloadSha256, sha256))
        {
            throw CliException.Usage(
                $"job {existing.JobId} was started with another payload (SHA-256 {existing.PayloadSha256}); {request.DisplayName} has SHA-256 {sha256}. " +
                "Resume it with its original payload, or use a new --job id.");
        }

        renderer.Notice($"Job {existing.JobId}: resuming; its payload is already staged and is not uploaded again.");
        return existing;
    }

    private async Task<JobDescriptor> StageAsync(LoadRequest request, Dataset dataset, CancellationToken cancellationToken)
    {
        var named = PayloadFormats.TryFromFileName(request.FromStandardInput ? "" : request.Path, out var namedFormat, out var compression);
        var format = request.Format ?? (named ? namedFormat : throw CliException.Usage(
            $"cannot tell the format of {request.DisplayName} from its name (.ndjson, .jsonl, .json, .csv, optionally .gz): pass --format {string.Join("|", PayloadFormatNames.All)}."));

        StagedPayload staged;
        if (request.FromStandardInput)
        {
            renderer.Notice("Staging standard input in Blob Storage…");
            staged = await StageStreamAsync(environment.StandardInput, null, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var file = FileHash.OpenSequential(request.Path);
            await using (file.ConfigureAwait(false))
            {
                renderer.Notice($"Staging {request.DisplayName} ({Text.Bytes(file.Length)}, {format.ToName()}{(compression == PayloadCompression.Gzip ? ", gzip" : "")}) in Blob Storage…");
                staged = await StageStreamAsync(file, file.Length, cancellationToken).ConfigureAwait(false);
            }
        }

        return new JobDescriptor(
            request.JobId ?? JobIds.New(),
            dataset.Name,
            format,
            compression,
            staged.BlobName,
            staged.Sha256,
            staged.Length,
            environment.TimeProvider.GetUtcNow());
    }

    private async Task<StagedPayload> StageStreamAsync(Stream source, long? length, CancellationToken cancellationToken)
    {
        var total = length is { } bytes ? " of " + Text.Bytes(bytes) : "";
        var counting = new ReadProgressStream(source, read => renderer.Show($"Uploading: {Text.Bytes(read)}{total}"));
        var started = environment.TimeProvider.GetTimestamp();
        StagedPayload staged;
        try
        {
            staged = await stager.StageAsync(counting, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            renderer.Finish(null);
        }

        renderer.Notice($"Staged {Text.Bytes(staged.Length)} in {Text.Seconds(environment.TimeProvider.GetElapsedTime(started).TotalSeconds)} (SHA-256 {staged.Sha256[..12]}…).");
        return staged;
    }
}
