using System.Diagnostics;
using System.Text.Json;
using BulkDurable.Ingestion.Running;
using BulkDurable.Ingestion.Serialization;
using Microsoft.Extensions.DependencyInjection;

namespace BulkDurable.Benchmarks;

/// <summary>
/// Worker mode: runs one job with the direct runner in a process of its own, so that its time and
/// peak memory are the engine's alone, and prints one JSON line.
/// </summary>
internal static class Worker
{
    public static async Task<int> RunAsync(string jobFile, int? chunkRecords, int? parallelism)
    {
        var job = JsonSerializer.Deserialize(await File.ReadAllTextAsync(jobFile), IngestionJsonContext.Default.JobDescriptor)
            ?? throw new InvalidOperationException("No job in " + jobFile);
        await using var services = EngineHost.Create(chunkRecords, parallelism);
        var runner = services.GetRequiredService<DirectJobRunner>();
        var started = Stopwatch.GetTimestamp();
        var run = await runner.RunAsync(job, parallelism, progress: null, CancellationToken.None);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var result = run.Result;
        Console.WriteLine(JsonSerializer.Serialize(new WorkerResult(
            elapsed.TotalSeconds, result.State.ToString(), result.Submitted, result.Inserted, result.Updated + result.Unchanged, result.Rejected, result.ChunkCount, run.ChunksSkipped)));
        return 0;
    }
}

/// <summary>What a worker prints.</summary>
internal sealed record WorkerResult(double Seconds, string State, long Submitted, long Inserted, long Matched, long Rejected, int Chunks, int ChunksSkipped);
