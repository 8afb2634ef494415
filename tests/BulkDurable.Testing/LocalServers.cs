using System.Diagnostics;

namespace BulkDurable.Testing;

/// <summary>
/// Connection settings of the real PostgreSQL and Azurite the tests use. <c>./test.sh</c> starts
/// both and exports their settings; when a test run starts without them (an IDE, a plain
/// <c>dotnet test</c>), the repository's infra scripts are run to start them.
/// </summary>
public sealed record LocalServers(string PostgresConnectionString, string StorageConnectionString)
{
    public const string PostgresVariable = "BulkDurable__Postgres__ConnectionString";
    public const string StorageVariable = "BulkDurable__Storage__ConnectionString";

    /// <summary>Finds or starts the servers.</summary>
    public static LocalServers Resolve()
    {
        var postgres = Environment.GetEnvironmentVariable(PostgresVariable);
        var storage = Environment.GetEnvironmentVariable(StorageVariable);
        postgres ??= ReadEnv(StartWith("postgres.sh"), PostgresVariable);
        storage ??= ReadEnv(StartWith("azurite.sh"), StorageVariable);
        return new LocalServers(postgres, storage);
    }

    /// <summary>Runs an infra script with <c>start</c> and returns what it printed (KEY='value' lines).</summary>
    public static string StartWith(string script, params string[] arguments) => RunInfra(script, ["start", .. arguments]);

    /// <summary>Runs an infra script and returns its standard output; throws with its error output when it fails.</summary>
    public static string RunInfra(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo(RepositoryPaths.Combine("infra", script))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Cannot run infra/{script}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"infra/{script} {string.Join(' ', arguments)} did not finish in 3 minutes.");
        }

        return process.ExitCode == 0
            ? stdout.Result
            : throw new InvalidOperationException($"infra/{script} {string.Join(' ', arguments)} failed ({process.ExitCode}): {stderr.Result}");
    }

    /// <summary>Reads one KEY='value' line of an infra script's output.</summary>
    public static string ReadEnv(string output, string key)
    {
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var text = line.StartsWith("export ", StringComparison.Ordinal) ? line[7..] : line;
            if (text.StartsWith(key + "=", StringComparison.Ordinal))
            {
                return text[(key.Length + 1)..].Trim('\'');
            }
        }

        throw new InvalidOperationException($"{key} not found in: {output}");
    }
}
