using BulkDurable.Ingestion.Api;
using BulkDurable.Ingestion.Catalog;
using BulkDurable.Ingestion.Jobs;
using BulkDurable.Ingestion.Payloads;
using BulkDurable.Ingestion.Staging;
using BulkDurable.Testing;

namespace BulkDurable.Faults.Tests.Corpus;

/// <summary>
/// Every case of <c>tests/corpus/cases.json</c> through the engine, against the real servers: the
/// precise error each bad input gets (record, line, field), the valid records around it loaded
/// (checked against PostgreSQL's own parsing of them), and every invariant of the job.
/// </summary>
public sealed class BadInputCorpusTests(ServersFixture servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Cases => new(CorpusManifest.Instance.Cases.Select(c => c.Name));

    [Fact]
    public void The_corpus_holds_at_least_thirty_cases_and_every_file_in_it_is_used()
    {
        var manifest = CorpusManifest.Instance;
        var used = manifest.Cases.SelectMany(c => new[] { c.File, c.Reference }).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var files = Directory.EnumerateFiles(CorpusManifest.Path(""), "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(CorpusManifest.Path(""), f).Replace('\\', '/'))
            .Where(f => f.Contains('/', StringComparison.Ordinal));

        Assert.True(manifest.Cases.Count >= 30, $"the corpus has {manifest.Cases.Count} cases");
        Assert.Equal(manifest.Cases.Count, manifest.Cases.Select(c => c.Name).Distinct().Count());
        Assert.All(files, f => Assert.Contains(f, used));
        Assert.All(used, f => Assert.True(File.Exists(CorpusManifest.Path(f)), $"{f} is missing"));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Each_bad_input_gets_its_precise_error_and_the_valid_records_around_it_load(string name)
    {
        var corpusCase = CorpusManifest.Instance.Case(name);
        switch (corpusCase.Expect)
        {
            case CorpusExpectation.Loaded or CorpusExpectation.PayloadRejected:
                await LoadAsync(corpusCase);
                break;
            case CorpusExpectation.UnsupportedMediaType:
                AssertUnsupportedMediaType(corpusCase);
                break;
            case CorpusExpectation.UnknownDataset:
                await AssertUnknownDatasetAsync(corpusCase);
                break;
            case CorpusExpectation.CatalogRefused:
                AssertCatalogRefuses(corpusCase);
                break;
        }
    }

    private async Task LoadAsync(CorpusCase corpusCase)
    {
        var manifest = CorpusManifest.Instance;
        Assert.True(PayloadFormats.TryFromContentType(corpusCase.ContentType, out var format), $"Content-Type '{corpusCase.ContentType}' is refused");
        Assert.True(PayloadFormats.TryFromContentEncoding(corpusCase.ContentEncoding, out var compression), $"Content-Encoding '{corpusCase.ContentEncoding}' is refused");
        var dataset = await TestDataset.CreateAsync(servers.DataSource, manifest.Dataset.Ddl, manifest.Dataset.ToOptions());
        await using var host = IngestionTestHost.Create(servers.Servers, corpusCase.Settings, dataset);
        var payload = await File.ReadAllBytesAsync(CorpusManifest.Path(corpusCase.File!), Ct);

        // Staged as is: a gzip file is submitted compressed, the way a client sends it.
        var job = await host.SubmitAsync(dataset.Name, format, payload) with { Compression = compression };
        var run = await host.RunAsync(job, 2, Ct);

        await using var reference = await ReferenceTable.CreateAsync(host, dataset.Name);
        var rejected = corpusCase.Expect == CorpusExpectation.PayloadRejected;
        if (!rejected)
        {
            await CorpusReference.FillAsync(reference, corpusCase, format, CorpusReference.Decode(payload, compression));
        }

        var result = await InvariantChecker.AssertAsync(
            host,
            job.JobId,
            new JobExpectation
            {
                Dataset = dataset.Name,
                Submitted = corpusCase.Submitted,
                Rejections = (corpusCase.Rejections ?? []).Select(r => r.ToExpected()).ToList(),
                State = rejected ? JobState.Failed : Enum.Parse<JobState>(corpusCase.State!),
                Inserted = corpusCase.Inserted,
                Unchanged = corpusCase.Unchanged,
                Updated = 0,
                ErrorContains = rejected ? corpusCase.Error : null,
                Reference = reference,
            },
            Ct);

        Assert.Equal(result, run.Result with { FinishedAt = result.FinishedAt, StartedAt = result.StartedAt, FailedChunks = result.FailedChunks, Problems = result.Problems });
        Assert.Empty(result.FailedChunks);
        if (rejected)
        {
            Assert.Equal(0, await dataset.CountAsync(servers.DataSource));
            Assert.False(await host.Store.ExistsAsync(BlobLayout.Manifest(job.JobId), Ct), "a rejected payload must leave no plan");
        }

        if (corpusCase.Problem is { } problem)
        {
            Assert.Contains(result.Problems, p => p.Message.Contains(problem, StringComparison.Ordinal));
        }
    }

    private static void AssertUnsupportedMediaType(CorpusCase corpusCase)
    {
        var accepted = PayloadFormats.TryFromContentType(corpusCase.ContentType, out _) && PayloadFormats.TryFromContentEncoding(corpusCase.ContentEncoding, out _);
        var problem = ApiProblem.UnsupportedMediaType(corpusCase.ContentType, corpusCase.ContentEncoding);

        Assert.False(accepted, $"Content-Type '{corpusCase.ContentType}' / Content-Encoding '{corpusCase.ContentEncoding}' must be refused");
        Assert.Equal(415, problem.Status);
        Assert.Contains($"Content-Type '{corpusCase.ContentType}'", problem.Detail, StringComparison.Ordinal);
    }

    private async Task AssertUnknownDatasetAsync(CorpusCase corpusCase)
    {
        await using var host = IngestionTestHost.Create(servers.Servers);
        var payload = await File.ReadAllBytesAsync(CorpusManifest.Path(corpusCase.File!), Ct);
        var job = await host.SubmitAsync(corpusCase.Dataset!, PayloadFormat.Ndjson, payload);

        var error = await Assert.ThrowsAsync<UnknownDatasetException>(() => host.RunAsync(job, 2, Ct));

        Assert.Equal(corpusCase.Dataset, error.DatasetName);
        Assert.False(host.Catalog.TryGet(corpusCase.Dataset, out _));
        Assert.Equal(404, ApiProblem.UnknownDataset(corpusCase.Dataset).Status);
        var jobBlobs = host.Store.Container.GetBlobsAsync(new Azure.Storage.Blobs.Models.GetBlobsOptions { Prefix = "jobs/" }, Ct);
        await foreach (var blob in jobBlobs)
        {
            Assert.Fail($"an unknown dataset must write no job, found {blob.Name}");
        }

        await using var ledger = servers.DataSource.CreateCommand("SELECT count(*) FROM bulkdurable.chunk_ledger WHERE job_id = $1");
        ledger.Parameters.Add(new Npgsql.NpgsqlParameter { Value = job.JobId });
        Assert.Equal(0L, await ledger.ExecuteScalarAsync(Ct));
    }

    private static void AssertCatalogRefuses(CorpusCase corpusCase)
    {
        var options = new DatasetCatalogOptions { Datasets = { [corpusCase.CatalogDataset!] = corpusCase.Catalog! } };

        var errors = DatasetCatalog.Validate(options, out var catalog);

        Assert.Null(catalog);
        Assert.Contains(errors, e => e.Contains(corpusCase.Error!, StringComparison.Ordinal));
        Assert.Throws<InvalidOperationException>(() => DatasetCatalog.Create(options));
    }
}
