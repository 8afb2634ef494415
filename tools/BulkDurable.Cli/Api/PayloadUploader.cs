using Azure.Storage;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace BulkDurable.Cli.Api;

/// <summary>Uploads a file to an upload URL (a write-only SAS URL of a block blob) in parallel blocks.</summary>
internal static class PayloadUploader
{
    private const int BlockSize = 8 * 1024 * 1024;

    /// <summary>Uploads <paramref name="payload"/>; <paramref name="progress"/> receives the bytes sent so far.</summary>
    public static async Task UploadAsync(Uri uploadUrl, Stream payload, IProgress<long> progress, CancellationToken cancellationToken)
    {
        var blob = new BlockBlobClient(uploadUrl);
        await blob.UploadAsync(
            payload,
            new BlobUploadOptions
            {
                TransferOptions = new StorageTransferOptions { InitialTransferSize = BlockSize, MaximumTransferSize = BlockSize, MaximumConcurrency = 4 },
                ProgressHandler = progress,
            },
            cancellationToken).ConfigureAwait(false);
    }
}
