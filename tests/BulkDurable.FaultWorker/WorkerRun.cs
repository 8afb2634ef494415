using System.Text.Json;
using BulkDurable.Ingestion.Jobs;
using BulkDurable.Ingestion.Running;
using BulkDurable.Ingestion.Serialization;
using BulkDurable.Ingestion.Staging;
using Microsoft.Extensions.DependencyInjection;

namespace BulkDurable.FaultWorker;

/// <summary>Stages a payload and runs a new job, or resumes an existing one, and prints the outcome.</summary>
internal static class WorkerRun
{
    public static async Task<int> RunAsync(WorkerArguments arguments, CancellationToken cancellationToken)
    {
        await using var services = WorkerHost.Create(new SigkillFaultInjector(arguments.KillAt, arguments.KillOn));
        var steps = services.GetRequiredService<IngestionSteps>();
        JobDescriptor job;
        if (arguments.Resume)
        {
            var existing = await steps.ReadJobAsync(arguments.JobId, cancellationToken);
            if (existing is null)
            {
                await Console.Error.WriteLineAsync($"job {arguments.JobId} does not exist");
                return 3;
            }

            job = existing;
        }
        else
        {
            var payload = File.OpenRead(arguments.PayloadFile!);
            await using (payload.ConfigureAwait(false))
            {
                var staged = await services.GetRequiredService<PayloadStager>().StageAsync(payload, cancellationToken);
                job = new JobDescriptor(arguments.JobId, arguments.Dataset!, arguments.Format, arguments.Compression, staged.BlobName, staged.Sha256, staged.Length, DateTimeOffset.UtcNow);
            }
        }

        var run = await services.GetRequiredService<DirectJobRunner>().RunAsync(job, arguments.Parallelism, progress: null, cancellationToken);
        Console.WriteLine(Render(run));
        return 0;
    }

    private static string Render(DirectRunResult run)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("chunksSkipped", run.ChunksSkipped);
            json.WritePropertyName("result");
            JsonSerializer.Serialize(json, run.Result, IngestionJsonContext.Default.JobResult);
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
