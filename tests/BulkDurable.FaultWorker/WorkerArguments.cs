using System.Globalization;
using BulkDurable.Ingestion.Diagnostics;
using BulkDurable.Ingestion.Payloads;

namespace BulkDurable.FaultWorker;

/// <summary>What the worker was asked to do.</summary>
/// <param name="Resume">Resume an existing job rather than stage a payload and start one.</param>
/// <param name="JobId">The job.</param>
/// <param name="Dataset">The dataset (new jobs).</param>
/// <param name="Format">The payload format (new jobs).</param>
/// <param name="Compression">The payload compression (new jobs).</param>
/// <param name="PayloadFile">The payload to stage (new jobs).</param>
/// <param name="KillAt">The fault point to die at, if any.</param>
/// <param name="KillOn">Which arrival at <paramref name="KillAt"/> kills (1 = the first).</param>
/// <param name="Parallelism">Chunks loaded at once.</param>
internal sealed record WorkerArguments(
    bool Resume,
    string JobId,
    string? Dataset,
    PayloadFormat Format,
    PayloadCompression Compression,
    string? PayloadFile,
    FaultPoint? KillAt,
    int KillOn,
    int Parallelism)
{
    public static WorkerArguments Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Count == 0 || args[0] is not ("run" or "resume"))
        {
            throw new ArgumentException("usage: BulkDurable.FaultWorker run|resume --job-id ID [--dataset D --format F --compression C --payload FILE] [--kill-at POINT --kill-on N] [--parallelism N]");
        }

        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i < args.Count; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
            {
                throw new ArgumentException($"expected '--option value', found '{args[i]}'");
            }

            options[args[i][2..]] = args[i + 1];
        }

        var resume = args[0] == "resume";
        var jobId = options.GetValueOrDefault("job-id") ?? throw new ArgumentException("--job-id is required");
        if (!resume && (!options.ContainsKey("dataset") || !options.ContainsKey("format") || !options.ContainsKey("payload")))
        {
            throw new ArgumentException("run needs --dataset, --format and --payload");
        }

        return new WorkerArguments(
            resume,
            jobId,
            options.GetValueOrDefault("dataset"),
            Enum.Parse<PayloadFormat>(options.GetValueOrDefault("format") ?? nameof(PayloadFormat.Ndjson), ignoreCase: true),
            Enum.Parse<PayloadCompression>(options.GetValueOrDefault("compression") ?? nameof(PayloadCompression.None), ignoreCase: true),
            options.GetValueOrDefault("payload"),
            options.TryGetValue("kill-at", out var point) ? Enum.Parse<FaultPoint>(point, ignoreCase: true) : null,
            int.Parse(options.GetValueOrDefault("kill-on") ?? "1", CultureInfo.InvariantCulture),
            int.Parse(options.GetValueOrDefault("parallelism") ?? "2", CultureInfo.InvariantCulture));
    }
}
