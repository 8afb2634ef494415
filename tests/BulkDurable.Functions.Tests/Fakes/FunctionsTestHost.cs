using System.Text.Json;
using BulkDurable.Functions.Http;
using BulkDurable.Ingestion.Api;
using BulkDurable.Ingestion.Configuration;
using BulkDurable.Testing;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Client.Entities;
using Microsoft.DurableTask.Converters;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Moq;

namespace BulkDurable.Functions.Tests.Fakes;

/// <summary>
/// The Functions app's services wired as Program.cs wires them, against the real PostgreSQL and
/// Azurite (a blob container of its own), with a mocked <see cref="DurableTaskClient"/>.
/// </summary>
internal sealed class FunctionsTestHost : IAsyncDisposable
{
    private readonly IngestionTestHost _engine;
    private readonly ServiceProvider _services;

    private FunctionsTestHost(IngestionTestHost engine, ServiceProvider services)
    {
        _engine = engine;
        _services = services;
        Client.Setup(c => c.Entities).Returns(Entities.Object);

        // No other instance (e.g. a live segment of an earlier run) unless a test says so.
        Client.Setup(c => c.GetAllInstancesAsync(It.IsAny<OrchestrationQuery?>()))
            .Returns(Pageable.Create((string? _, int? _, CancellationToken _) => Task.FromResult(new Page<OrchestrationMetadata>([], null))));
    }

    public IngestionTestHost Engine => _engine;

    public Mock<DurableTaskClient> Client { get; } = new(MockBehavior.Loose, "test");

    public Mock<DurableEntityClient> Entities { get; } = new(MockBehavior.Loose, "test");

    public static JsonSerializerOptions JsonOptions { get; } = CreateJsonOptions();

    public static FunctionsTestHost Create(ServersFixture servers, IReadOnlyDictionary<string, string?>? settings = null, params TestDataset[] datasets)
    {
        ArgumentNullException.ThrowIfNull(servers);
        // The fake links carry a key, as in Azure: these tests hand them out knowingly (ManagementLinks=All).
        var withLinks = new Dictionary<string, string?> { ["BulkDurable:Api:ManagementLinks"] = "All" };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            withLinks[key] = value;
        }

        var engine = IngestionTestHost.Create(servers.Servers, withLinks, datasets);
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IConfiguration>(engine.Configuration)
            .AddSingleton<IManagementLinkFactory>(new FakeManagementLinks())
            .AddBulkDurableIngestion(engine.Configuration)
            .AddBulkDurableApi(engine.Configuration)
            .AddBulkDurableFunctions(engine.Configuration)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        return new FunctionsTestHost(engine, services);
    }

    /// <summary>A function class, created the way the worker creates it (constructor injection).</summary>
    public T Function<T>() => ActivatorUtilities.CreateInstance<T>(_services);

    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    /// <summary>An orchestration instance as the client returns it, with its input readable.</summary>
    public static OrchestrationMetadata Instance(string instanceId, OrchestrationRuntimeStatus status, object? input = null)
    {
        var converter = new JsonDataConverter(JsonOptions);
        return new OrchestrationMetadata(FunctionNames.IngestJob, instanceId)
        {
            RuntimeStatus = status,
            SerializedInput = input is null ? null : converter.Serialize(input),
            DataConverter = converter,
        };
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await _engine.DisposeAsync();
    }

    private static JsonSerializerOptions CreateJsonOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        FunctionsJson.Configure(options);
        return options;
    }

    /// <summary>Management URLs shaped like the Durable extension's, with a system key in the query.</summary>
    private sealed class FakeManagementLinks : IManagementLinkFactory
    {
        public ManagementLinksDocument? Create(DurableTaskClient client, string instanceId)
        {
            var instance = $"http://localhost:7071/runtime/webhooks/durabletask/instances/{instanceId}";
            return new ManagementLinksDocument(
                instanceId,
                instance + "?code=SYSTEMKEY",
                instance + "/raiseEvent/{eventName}?code=SYSTEMKEY",
                instance + "/terminate?reason={{text}}&code=SYSTEMKEY",
                instance + "?code=SYSTEMKEY",
                instance + "/suspend?reason={{text}}&code=SYSTEMKEY",
                instance + "/resume?reason={{text}}&code=SYSTEMKEY");
        }
    }
}
