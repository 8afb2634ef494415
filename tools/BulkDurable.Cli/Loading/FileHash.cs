using System.Security.Cryptography;

namespace BulkDurable.Cli.Loading;

/// <summary>SHA-256 of a file, streamed, as the engine computes it for a staged payload (lower-case hex).</summary>
internal static class FileHash
{
    /// <summary>Hashes the file's bytes as they are (a .gz file is hashed compressed, as it is submitted).</summary>
    public static async Task<string> Sha256Async(string path, CancellationToken cancellationToken)
    {
        var file = OpenSequential(path);
        await using (file.ConfigureAwait(false))
        {
            return Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken).ConfigureAwait(false));
        }
    }

    /// <summary>Opens a file for one sequential pass with a large buffer.</summary>
    public static FileStream OpenSequential(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 20, FileOptions.Asynchronous | FileOptions.SequentialScan);
}
