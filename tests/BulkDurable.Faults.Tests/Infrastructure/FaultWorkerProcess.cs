using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using BulkDurable.Ingestion.Jobs;
using BulkDurable.Ingestion.Serialization;
using BulkDurable.Testing;

namespace BulkDurable.Faults.Tests.Infrastructure;

/// <summary>
/// Runs <c>BulkDurable.FaultWorker</c> (built with this project) as a child process with the
/// settings of an <see cref="IngestionTestHost"/>: same servers, container and catalog.
/// </summary>
internal static class FaultWorkerProcess
{
    /// <summary>The exit code of a process killed with SIGKILL (128 + 9).</summary>
    public const int SigkillExitCode = 137;

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public static async Task<WorkerExit> RunAsync(IngestionTestHost host, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        var worker = typeof(FaultWorkerProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "FaultWorkerPath").Value!;
        Assert.True(File.Exists(worker), $"The fault worker is not built at {worker}.");
        var start = DotnetChildProcess.StartInfo(worker, arguments, host.Configuration);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Cannot start the fault worker.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The fault worker ({string.Join(' ', arguments)}) did not finish within {Timeout}; stderr: {await stderr}");
        }

        return new WorkerExit(process.ExitCode, await stdout, await stderr);
    }
}

/// <summary>How a worker process ended.</summary>
internal sealed record WorkerExit(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>The run's result and skipped chunks, from the JSON line a worker prints when it finishes.</summary>
    public (JobResult Result, int ChunksSkipped) Parse()
    {
        Assert.True(ExitCode == 0, $"The fault worker failed ({ExitCode}): {Stderr}");
        using var document = JsonDocument.Parse(Stdout.Trim().Split('\n')[^1]);
        var result = document.RootElement.GetProperty("result").Deserialize(IngestionJsonContext.Default.JobResult)!;
        return (result, document.RootElement.GetProperty("chunksSkipped").GetInt32());
    }
}
