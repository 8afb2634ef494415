using System.Globalization;

namespace BulkDurable.Benchmarks;

/// <summary>Command-line settings of a benchmark run.</summary>
internal sealed record BenchSettings
{
    public long Records { get; init; } = 1_000_000;

    public int Runs { get; init; } = 5;

    public int? Parallelism { get; init; }

    public int? ChunkRecords { get; init; }

    public bool Sweep { get; init; }

    /// <summary>Only the BulkDurable measurements (skips the baselines), e.g. for memory runs on 10M records.</summary>
    public bool BulkDurableOnly { get; init; }

    public string WorkDirectory { get; init; } = Path.Combine(Path.GetTempPath(), "bulkdurable-bench");

    public static BenchSettings Parse(IReadOnlyList<string> args)
    {
        var settings = new BenchSettings();
        for (var i = 0; i < args.Count; i++)
        {
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            settings = args[i] switch
            {
                "--records" => settings with { Records = long.Parse(Next(), CultureInfo.InvariantCulture) },
                "--runs" => settings with { Runs = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--parallelism" => settings with { Parallelism = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--chunk-records" => settings with { ChunkRecords = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--sweep" => settings with { Sweep = true },
                "--bulkdurable-only" => settings with { BulkDurableOnly = true },
                "--work-dir" => settings with { WorkDirectory = Next() },
                _ => throw new ArgumentException($"unknown option {args[i]}; options: --records N --runs N --parallelism N --chunk-records N --sweep --bulkdurable-only --work-dir DIR"),
            };
        }

        return settings.Runs < 1 || settings.Records < 1 ? throw new ArgumentException("--records and --runs must be positive") : settings;
    }
}
