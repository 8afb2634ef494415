using Azure.Storage;
using Azure.Storage.Blobs.Models;
using BulkDurable.Ingestion.Configuration;
using BulkDurable.Ingestion.Diagnostics;
using BulkDurable.Ingestion.Jobs;
using Microsoft.Extensions.Options;

namespace BulkDurable.Ingestion.Staging;

/// <summary>
/// Stores incoming payloads as block blobs under <c>uploads/</c>, computing their SHA-256 and
/// length on the way, without ever holding a whole payload in memory.
/// </summary>
public sealed class PayloadStager(IngestionBlobStore store, IOptions<IngestionOptions> options, IFaultInjector faults)
{
    private const int BlockSize = 8 * 1024 * 1024;

    /// <summary>Streams <paramref name="content"/> to a new upload blob.</summary>
    /// <exception cref="PayloadTooLargeException">The payload is larger than the configured limit; nothing is kept.</exception>
    public async Task<StagedPayload> StageAsync(Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        await store.EnsureContainerAsync(cancellationToken).ConfigureAwait(false);
        var name = BlobLayout.Upload(JobIds.New());
        var hashing = new HashingReadStream(content, options.Value.MaxPayloadBytes);
        await using (hashing.ConfigureAwait(false))
        {
            try
            {
                await store.Blob(name).UploadAsync(
                    hashing,
                    new BlobUploadOptions
                    {
                        TransferOptions = new StorageTransferOptions
                        {
                            InitialTransferSize = BlockSize,
                            MaximumTransferSize = BlockSize,
                            MaximumConcurrency = 4,
                        },
                    },
                    cancellationToken).ConfigureAwait(false);
            }
            catch (Exception)
            {
                await store.DeleteIfExistsAsync(name, CancellationToken.None).ConfigureAwait(false);
                throw;
            }

            await faults.ReachedAsync(FaultPoint.PayloadStaged, name["uploads/".Length..], null, cancellationToken).ConfigureAwait(false);
            return new StagedPayload(name, hashing.HashHex(), hashing.BytesRead);
        }
    }

    /// <summary>
    /// Describes a payload a client uploaded on its own (through an upload URL): hashes it by
    /// streaming it once.
    /// </summary>
    /// <returns>The payload, or <see langword="null"/> when no such upload exists.</returns>
    public async Task<StagedPayload?> DescribeUploadAsync(string uploadId, CancellationToken cancellationToken)
    {
        var name = BlobLayout.Upload(uploadId);
        var blob = store.Blob(name);
        Azure.ETag version;
        try
        {
            version = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value.ETag;
        }
        catch (Azure.RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }

        // The hash is of this version; the job records it and loads that version or none (the upload
        // URL lets its client write the blob again until it expires).
        var read = new Azure.Storage.Blobs.Models.BlobOpenReadOptions(allowModifications: false)
        {
            BufferSize = BlockSize,
            Conditions = new Azure.Storage.Blobs.Models.BlobRequestConditions { IfMatch = version },
        };
        var source = await blob.OpenReadAsync(read, cancellationToken).ConfigureAwait(false);
        await using (source.ConfigureAwait(false))
        {
            var hashing = new HashingReadStream(source, options.Value.MaxPayloadBytes);
            await using (hashing.ConfigureAwait(false))
            {
                await hashing.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
                return new StagedPayload(name, hashing.HashHex(), hashing.BytesRead, version.ToString());
            }
        }
    }
}
