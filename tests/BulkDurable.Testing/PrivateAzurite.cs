
namespace BulkDurable.Testing;

/// <summary>
/// An Azurite of one test's own, persisting to disk (<c>--persist</c>) so that blobs survive a
/// restart, on ports that stay the same across restarts. Stopped and deleted on dispose.
/// </summary>
public sealed class PrivateAzurite : IAsyncDisposable
{
    private readonly string _directory;

    private PrivateAzurite(string directory, string connectionString)
    {
        _directory = directory;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    /// <summary>Servers for an <see cref="IngestionTestHost"/>: this Azurite, and the given PostgreSQL.</summary>
    public LocalServers With(LocalServers servers) => servers with { StorageConnectionString = ConnectionString };

    public static async Task<PrivateAzurite> StartAsync()
    {
        var directory = RepositoryPaths.Combine(".local", "test-run", "azurite-" + Guid.NewGuid().ToString("N")[..8]);
        var output = await Task.Run(() => LocalServers.StartWith("azurite.sh", "--dir", directory, "--persist"));
        return new PrivateAzurite(directory, LocalServers.ReadEnv(output, LocalServers.StorageVariable));
    }

    /// <summary>Stops the emulator (its data stays on disk).</summary>
    public Task StopAsync() => Task.Run(() => LocalServers.RunInfra("azurite.sh", "stop", "--dir", _directory));

    /// <summary>Starts a stopped emulator again on the same ports and data.</summary>
    public Task StartAgainAsync() => Task.Run(() => LocalServers.RunInfra("azurite.sh", "start", "--dir", _directory, "--persist"));

    /// <summary>Stops the emulator and starts it again on the same ports and data.</summary>
    public Task RestartAsync() => Task.Run(() => LocalServers.RunInfra("azurite.sh", "restart", "--dir", _directory, "--persist"));

    public async ValueTask DisposeAsync() =>
        await Task.Run(() =>
        {
            LocalServers.RunInfra("azurite.sh", "stop", "--dir", _directory);
            Directory.Delete(_directory, recursive: true);
        });
}
