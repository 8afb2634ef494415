using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using System.Text.Json;
using BulkDurable.Testing;
using Microsoft.Extensions.Configuration;

namespace BulkDurable.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The Functions app running as a real host process, with the settings of an
/// <see cref="IngestionTestHost"/> (same PostgreSQL, Azurite, blob container and dataset catalog) and
/// a task hub of its own: the local Durable host, or <c>func start</c> in the app's build output when
/// <c>BULKDURABLE_E2E_HOST=func</c>. Queue visibility timeouts are short, so that work a killed host
/// held is picked up again within seconds.
/// </summary>
public sealed class FunctionsHost : IAsyncDisposable
{
    /// <summary>The environment variable choosing the host: <c>local</c> (default) or <c>func</c>.</summary>
    public const string HostVariable = "BULKDURABLE_E2E_HOST";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly Dictionary<string, string?> _settings;
    private readonly StringBuilder _output = new();
    private readonly int _port;
    private Process? _process;

    private FunctionsHost(Dictionary<string, string?> settings, int port)
    {
        _settings = settings;
        _port = port;
        BaseUrl = new Uri($"http://127.0.0.1:{port}/");
        Http = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromMinutes(2) };
    }

    /// <summary>Whether the tests target <c>func start</c> instead of the local Durable host.</summary>
    public static bool UsesFunc => string.Equals(Environment.GetEnvironmentVariable(HostVariable), "func", StringComparison.OrdinalIgnoreCase);

    /// <summary>The host's base URL (<c>http://127.0.0.1:port/</c>).</summary>
    public Uri BaseUrl { get; }

    /// <summary>A client of the host.</summary>
    public HttpClient Http { get; }

    /// <summary>The task hub of this host.</summary>
    public string HubName => _settings["DurableTaskHubName"]!;

    /// <summary>What the host printed so far (for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts a host with the engine's settings plus <paramref name="settings"/> (app settings, <c>__</c>-separated or <c>:</c>-separated).</summary>
    public static async Task<FunctionsHost> StartAsync(IngestionTestHost engine, IReadOnlyDictionary<string, string?>? settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var values = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated",
            ["AzureWebJobsStorage"] = engine.Configuration["BulkDurable:Storage:ConnectionString"],
            ["DurableTaskHubName"] = "e2e" + Guid.NewGuid().ToString("N")[..20],
            ["AzureFunctionsJobHost__extensions__durableTask__storageProvider__controlQueueVisibilityTimeout"] = "00:00:10",
            ["AzureFunctionsJobHost__extensions__durableTask__storageProvider__workItemQueueVisibilityTimeout"] = "00:00:10",
            ["AzureFunctionsJobHost__extensions__durableTask__storageProvider__maxQueuePollingInterval"] = "00:00:01",
        };
        foreach (var (key, value) in engine.Configuration.AsEnumerable())
        {
            if (value is not null && key.StartsWith("BulkDurable:", StringComparison.Ordinal))
            {
                values[key.Replace(":", "__", StringComparison.Ordinal)] = value;
            }
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var host = new FunctionsHost(values, FreePort());
        try
        {
            await host.StartProcessAsync(cancellationToken);
            return host;
        }
        catch
        {
            // A host that never got running is not left behind.
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>Kills the host with SIGKILL (the whole process tree: with <c>func</c>, the worker too), as a crash would.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>Waits for the host to exit on its own (e.g. a fault point killed it); returns the exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process!.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    /// <summary>Starts the host again on the same port, task hub and settings, with <paramref name="changes"/> applied (a null value removes a setting).</summary>
    public async Task RestartAsync(IReadOnlyDictionary<string, string?>? changes, CancellationToken cancellationToken)
    {
        await KillAsync();
        foreach (var (key, value) in changes ?? new Dictionary<string, string?>())
        {
            var name = key.Replace(":", "__", StringComparison.Ordinal);
            if (value is null)
            {
                _settings.Remove(name);
            }
            else
            {
                _settings[name] = value;
            }
        }

        await StartProcessAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await KillAsync();

        // The test's output is shown only when it fails: the host's last words explain the failure.
        var output = Output;
        TestContext.Current.TestOutputHelper?.WriteLine($"--- Functions host output (last {Math.Min(output.Length, 40_000)} characters) ---\n{output[Math.Max(0, output.Length - 40_000)..]}");
        _process?.Dispose();
        Http.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task StartProcessAsync(CancellationToken cancellationToken)
    {
        var start = UsesFunc ? FuncStartInfo() : LocalHostStartInfo();
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("BulkDurable__", StringComparison.OrdinalIgnoreCase) || k.StartsWith("AzureFunctionsJobHost__", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in _settings)
        {
            start.Environment[key] = value;
        }

        _process?.Dispose();
        var process = Process.Start(start) ?? throw new InvalidOperationException("The Functions host did not start.");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        await WaitUntilRunningAsync(cancellationToken);
    }

    private ProcessStartInfo LocalHostStartInfo()
    {
        var path = typeof(FunctionsHost).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "LocalHostPath").Value!;
        Assert.True(File.Exists(path), $"The local Durable host is not built at {path}.");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet") { WorkingDirectory = Path.GetDirectoryName(path)! };
        start.ArgumentList.Add(path);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(BaseUrl.ToString().TrimEnd('/'));
        return start;
    }

    private ProcessStartInfo FuncStartInfo()
    {
        // The app's build output holds what `func start` needs (host.json, functions.metadata, worker.config.json, .azurefunctions).
        var localHost = Path.GetDirectoryName(typeof(FunctionsHost).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "LocalHostPath").Value!)!;
        var configuration = new DirectoryInfo(localHost).Parent!.Name;
        var app = RepositoryPaths.Combine("functions", "BulkDurable.Functions", "bin", configuration, "net10.0");
        var start = new ProcessStartInfo("func") { WorkingDirectory = app };
        foreach (var argument in new[] { "start", "--port", _port.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    private async Task WaitUntilRunningAsync(CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"The Functions host exited with {_process.ExitCode} while starting:\n{Output}");
            }

            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "admin/host/status");
                if (_settings.GetValueOrDefault("LocalHost__Keys__Master") is { } master)
                {
                    request.Headers.Add("x-functions-key", master);
                }

                using var response = await Http.SendAsync(request, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    using var status = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
                    if (status.RootElement.GetProperty("state").GetString() == "Running")
                    {
                        return;
                    }
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200, cancellationToken);
        }

        throw new TimeoutException($"The Functions host was not running within {StartTimeout}:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            // Bounded: the most recent output is what explains a failure.
            if (_output.Length > 200_000)
            {
                _output.Remove(0, 100_000);
            }

            _output.AppendLine(line);
        }
    }
}
