using System.Diagnostics;
using System.Reflection;
using BulkDurable.Testing;
using Microsoft.Extensions.Configuration;

namespace BulkDurable.Cli.Tests.Infrastructure;

/// <summary>
/// Runs the built <c>bulkdurable.dll</c> as a child process (<c>dotnet bulkdurable.dll ...</c>), with
/// the settings of a test passed as environment variables, as a user's shell would.
/// </summary>
internal sealed class CliProcess : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stdout;
    private readonly Task<string> _stderr;

    private CliProcess(Process process)
    {
        _process = process;
        _stdout = process.StandardOutput.ReadToEndAsync();
        _stderr = process.StandardError.ReadToEndAsync();
    }

    /// <summary>
    /// The CLI as its own project built it (same configuration and framework as this assembly): the
    /// copy next to the test assembly would run against this project's dependencies, not its own.
    /// </summary>
    public static string CliPath { get; } = RepositoryPaths.Combine(
        "tools",
        "BulkDurable.Cli",
        "bin",
        typeof(CliProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug",
        new DirectoryInfo(AppContext.BaseDirectory).Name,
        "bulkdurable.dll");

    public bool HasExited => _process.HasExited;

    public static CliProcess Start(IConfiguration settings, params string[] args)
    {
        var start = DotnetChildProcess.StartInfo(CliPath, args, settings);
        return new CliProcess(Process.Start(start) ?? throw new InvalidOperationException("Cannot start dotnet."));
    }

    /// <summary>SIGKILL: the process gets no chance to clean up.</summary>
    public void KillHard() => _process.Kill(entireProcessTree: true);

    public async Task<CliResult> WaitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancellation.Token);
        return new CliResult(_process.ExitCode, await _stdout, await _stderr);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }
}
