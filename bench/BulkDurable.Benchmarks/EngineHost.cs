using BulkDurable.Ingestion.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BulkDurable.Benchmarks;

/// <summary>The engine, configured from the environment (as the CLI and the Functions app are) plus the benchmark dataset.</summary>
internal static class EngineHost
{
    public const string Dataset = "bench_readings";
    public const string Table = "bench.readings";

    public static ServiceProvider Create(int? chunkRecords, int? parallelism)
    {
        var settings = new Dictionary<string, string?>
        {
            [$"BulkDurable:Datasets:{Dataset}:Table"] = Table,
            [$"BulkDurable:Datasets:{Dataset}:Columns:0:Name"] = "sensor_id",
            [$"BulkDurable:Datasets:{Dataset}:Columns:0:Type"] = "text",
            [$"BulkDurable:Datasets:{Dataset}:Columns:0:Nullable"] = "false",
            [$"BulkDurable:Datasets:{Dataset}:Columns:1:Name"] = "sampled_at",
            [$"BulkDurable:Datasets:{Dataset}:Columns:1:Type"] = "timestamptz",
            [$"BulkDurable:Datasets:{Dataset}:Columns:1:Nullable"] = "false",
            [$"BulkDurable:Datasets:{Dataset}:Columns:2:Name"] = "value",
            [$"BulkDurable:Datasets:{Dataset}:Columns:2:Type"] = "double",
            [$"BulkDurable:Datasets:{Dataset}:Columns:3:Name"] = "note",
            [$"BulkDurable:Datasets:{Dataset}:Columns:3:Type"] = "text",
            [$"BulkDurable:Datasets:{Dataset}:ConflictKey:0"] = "sensor_id",
            [$"BulkDurable:Datasets:{Dataset}:ConflictKey:1"] = "sampled_at",
            [$"BulkDurable:Datasets:{Dataset}:OnConflict"] = "Ignore",
            ["BulkDurable:Storage:Container"] = "bench",
        };
        if (chunkRecords is { } records)
        {
            settings["BulkDurable:Ingestion:ChunkRecords"] = records.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (parallelism is { } p)
        {
            settings["BulkDurable:Orchestration:MaxChunksInFlight"] = p.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "datasets.json"), optional: true)
            .AddEnvironmentVariables()
            .AddInMemoryCollection(settings)
            .Build();
        return new ServiceCollection()
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .AddBulkDurableIngestion(configuration)
            .BuildServiceProvider();
    }
}
