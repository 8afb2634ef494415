using System.Diagnostics;
using System.Globalization;

namespace BulkDurable.Benchmarks;

/// <summary>Runs a program, timing it and (through GNU time, when installed) measuring its peak resident memory.</summary>
internal static class ChildProcess
{
    private const string GnuTime = "/usr/bin/time";

    public static async Task<(string Stdout, TimeSpan Elapsed, long? PeakBytes)> RunAsync(string file, IEnumerable<string> arguments, IDictionary<string, string>? environment = null)
    {
        var measure = File.Exists(GnuTime);
        var start = new ProcessStartInfo(measure ? GnuTime : file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (measure)
        {
            start.ArgumentList.Add("-f");
            start.ArgumentList.Add("cpu-user=%U cpu-system=%S peak-rss-kb=%M");
            start.ArgumentList.Add(file);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Cannot start " + file);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        stopwatch.Stop();
        var errors = await stderr;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', start.ArgumentList)} failed ({process.ExitCode}): {errors}");
        }

        long? peak = null;
        var marker = errors.LastIndexOf("peak-rss-kb=", StringComparison.Ordinal);
        if (marker >= 0)
        {
            peak = long.Parse(errors.AsSpan(marker + "peak-rss-kb=".Length).Trim(), CultureInfo.InvariantCulture) * 1024;
        }

        var cpu = errors.LastIndexOf("cpu-user=", StringComparison.Ordinal);
        if (cpu >= 0 && Environment.GetEnvironmentVariable("BENCH_VERBOSE") == "1")
        {
            Console.Error.WriteLine("    " + errors[cpu..].Trim());
        }

        return (await stdout, stopwatch.Elapsed, peak);
    }
}
