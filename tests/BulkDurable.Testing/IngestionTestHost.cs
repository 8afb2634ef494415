using System.IO.Compression;
using System.Text;
using BulkDurable.Ingestion.Catalog;
using BulkDurable.Ingestion.Configuration;
using BulkDurable.Ingestion.Jobs;
using BulkDurable.Ingestion.Payloads;
using BulkDurable.Ingestion.Running;
using BulkDurable.Ingestion.Staging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace BulkDurable.Testing;

/// <summary>
/// The engine wired as a host would wire it, against the real servers, with a blob container of
/// its own (deleted on dispose) and any test datasets added to the shipped catalog.
/// </summary>
public sealed class IngestionTestHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private IngestionTestHost(ServiceProvider services, IConfiguration configuration)
    {
        _services = services;
        Configuration = configuration;
    }

    public IConfiguration Configuration { get; }

    public IServiceProvider Services => _services;

    public IngestionSteps Steps => Get<IngestionSteps>();

    public DirectJobRunner Runner => Get<DirectJobRunner>();

    public IngestionBlobStore Store => Get<IngestionBlobStore>();

    public NpgsqlDataSource DataSource => Get<NpgsqlDataSource>();

    public DatasetCatalog Catalog => Get<DatasetCatalog>();

    /// <summary>Creates a host.</summary>
    /// <param name="servers">The servers.</param>
    /// <param name="settings">Extra configuration (e.g. <c>BulkDurable:Ingestion:ChunkRecords</c>).</param>
    /// <param name="datasets">Test datasets to add to the catalog.</param>
    public static IngestionTestHost Create(LocalServers servers, IReadOnlyDictionary<string, string?>? settings = null, params TestDataset[] datasets) =>
        Create(servers, settings, _ => { }, datasets);

    /// <summary>Creates a host with services of the test's own (e.g. an <c>IFaultInjector</c>), registered before the engine's.</summary>
    /// <param name="servers">The servers.</param>
    /// <param name="settings">Extra configuration.</param>
    /// <param name="configureServices">Registers services before the engine does; the engine keeps them (it only adds what is missing).</param>
    /// <param name="datasets">Test datasets to add to the catalog.</param>
    public static IngestionTestHost Create(LocalServers servers, IReadOnlyDictionary<string, string?>? settings, Action<IServiceCollection> configureServices, params TestDataset[] datasets)
    {
        ArgumentNullException.ThrowIfNull(servers);
        ArgumentNullException.ThrowIfNull(configureServices);
        var values = new Dictionary<string, string?>
        {
            ["BulkDurable:Postgres:ConnectionString"] = servers.PostgresConnectionString,
            ["BulkDurable:Storage:ConnectionString"] = servers.StorageConnectionString,
            ["BulkDurable:Storage:Container"] = "test-" + Guid.NewGuid().ToString("N")[..20],
            ["BulkDurable:Orchestration:Retry:FirstInterval"] = "00:00:00.100",
            ["BulkDurable:Orchestration:Retry:MaxInterval"] = "00:00:02",
        };
        foreach (var dataset in datasets)
        {
            foreach (var (key, value) in dataset.ConfigurationEntries())
            {
                values[key] = value;
            }
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder()
            .AddJsonFile(RepositoryPaths.Combine("datasets.json"), optional: false)
            .AddInMemoryCollection(values)
            .Build();
        var services = new ServiceCollection()
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .AddSingleton<IConfiguration>(configuration);
        configureServices(services);
        var provider = services
            .AddBulkDurableIngestion(configuration)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        return new IngestionTestHost(provider, configuration);
    }

    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    /// <summary>Stages a payload and returns the descriptor of a new job over it.</summary>
    public async Task<JobDescriptor> SubmitAsync(string dataset, PayloadFormat format, byte[] payload, PayloadCompression compression = PayloadCompression.None, string? jobId = null)
    {
        var bytes = compression == PayloadCompression.Gzip ? Gzip(payload) : payload;
        using var stream = new MemoryStream(bytes);
        var staged = await Get<PayloadStager>().StageAsync(stream, CancellationToken.None);
        return new JobDescriptor(jobId ?? JobIds.New(), dataset, format, compression, staged.BlobName, staged.Sha256, staged.Length, DateTimeOffset.UtcNow);
    }

    /// <inheritdoc cref="SubmitAsync(string, PayloadFormat, byte[], PayloadCompression, string?)"/>
    public Task<JobDescriptor> SubmitAsync(string dataset, PayloadFormat format, string payload, PayloadCompression compression = PayloadCompression.None, string? jobId = null) =>
        SubmitAsync(dataset, format, Encoding.UTF8.GetBytes(payload), compression, jobId);

    /// <summary>Runs a job to its end with the direct runner.</summary>
    public Task<DirectRunResult> RunAsync(JobDescriptor job, int parallelism = 2, CancellationToken cancellationToken = default) =>
        Runner.RunAsync(job, parallelism, progress: null, cancellationToken);

    /// <summary>The job's failed-records file, one string per line (empty when none).</summary>
    public async Task<IReadOnlyList<string>> FailedRecordsAsync(string jobId)
    {
        var name = BlobLayout.FailedRecords(jobId);
        if (!await Store.ExistsAsync(name, CancellationToken.None))
        {
            return [];
        }

        var content = await Store.Blob(name).DownloadContentAsync();
        return content.Value.Content.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    public static byte[] Gzip(byte[] payload)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(payload);
        }

        return output.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Store.Container.DeleteIfExistsAsync();
        }
        finally
        {
            await _services.DisposeAsync();
        }
    }
}
