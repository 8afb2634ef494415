using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace BulkDurable.Cli.Tests.Infrastructure;

/// <summary>Runs <c>bulkdurable</c> in-process with the given settings, capturing standard output and error.</summary>
internal static class CliRunner
{
    public static async Task<CliResult> RunAsync(IConfiguration configuration, IEnumerable<string> args, CancellationToken cancellationToken, Stream? standardInput = null, TimeProvider? timeProvider = null)
    {
        var stdout = new MemoryStream();
        var stdoutText = new StreamWriter(stdout, new UTF8Encoding(false), leaveOpen: true) { AutoFlush = true };
        var stderr = new StringWriter();
        var environment = new CliEnvironment
        {
            Configuration = configuration,
            Out = stdoutText,
            Error = TextWriter.Synchronized(stderr),
            StandardOutput = stdout,
            StandardInput = standardInput ?? Stream.Null,
            TimeProvider = timeProvider ?? TimeProvider.System,
        };
        var exitCode = await BulkDurableCli.InvokeAsync(args.ToList(), environment, cancellationToken);
        await stdoutText.FlushAsync(CancellationToken.None);
        return new CliResult(exitCode, Encoding.UTF8.GetString(stdout.ToArray()), stderr.ToString());
    }

    /// <summary>Settings without any server: enough for commands that need only the catalog.</summary>
    public static IConfiguration CatalogOnly(IReadOnlyDictionary<string, string?>? settings = null) =>
        new ConfigurationBuilder()
            .AddJsonFile(BulkDurable.Testing.RepositoryPaths.Combine("datasets.json"), optional: false)
            .AddInMemoryCollection(settings ?? new Dictionary<string, string?>())
            .Build();
}

/// <summary>What a command did: its exit code and everything it wrote.</summary>
internal sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Standard output as one JSON document (fails when it is anything else).</summary>
    public JsonElement Json()
    {
        using var document = JsonDocument.Parse(Stdout);
        return document.RootElement.Clone();
    }

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}
