using Azure.Core;
using Azure.Storage.Blobs;
using BulkDurable.Ingestion.Configuration;

namespace BulkDurable.Ingestion.Staging;

/// <summary>
/// Creates the Blob service client from <see cref="StorageOptions"/>: a connection string locally
/// (Azurite), or the service URI with an Entra credential in Azure. Everything after this point is
/// the same code path.
/// </summary>
public static class BlobClientFactory
{
    /// <summary>Creates the service client.</summary>
    public static BlobServiceClient CreateServiceClient(StorageOptions options, TokenCredential credential)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(credential);
        var clientOptions = new BlobClientOptions
        {
            Retry =
            {
                Mode = RetryMode.Exponential,
                MaxRetries = 6,
                Delay = TimeSpan.FromMilliseconds(200),
                MaxDelay = TimeSpan.FromSeconds(10),
                NetworkTimeout = TimeSpan.FromSeconds(100),
            },
        };
        return string.IsNullOrWhiteSpace(options.ConnectionString)
            ? new BlobServiceClient(options.ServiceUri, credential, clientOptions)
            : new BlobServiceClient(options.ConnectionString, clientOptions);
    }
}
