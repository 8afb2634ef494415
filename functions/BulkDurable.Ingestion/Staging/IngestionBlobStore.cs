using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace BulkDurable.Ingestion.Staging;

/// <summary>
/// The container BulkDurable keeps everything in, with the few blob operations the engine needs.
/// The container is created on first use.
/// </summary>
public sealed class IngestionBlobStore
{
    private readonly Lock _creationLock = new();
    private Task? _containerReady;

    /// <summary>Wraps a container client (from <see cref="BlobClientFactory"/>).</summary>
    public IngestionBlobStore(BlobContainerClient container)
    {
        ArgumentNullException.ThrowIfNull(container);
        Container = container;
    }

    /// <summary>The container.</summary>
    public BlobContainerClient Container { get; }

    /// <summary>
    /// Creates the container if it does not exist yet. Once it exists no call goes out again; a
    /// creation that failed (storage restarting, throttled) is tried again by the next call.
    /// </summary>
    public async Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        Task creation;
        lock (_creationLock)
        {
            // Callers arriving together share one request; a failed one is not kept.
            if (_containerReady is null || _containerReady.IsFaulted || _containerReady.IsCanceled)
            {
                _containerReady = CreateAsync();
            }

            creation = _containerReady;
        }

        await creation.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task CreateAsync()
    {
        try
        {
            // Not the caller's token: the request is shared, and one caller giving up must not fail the others.
            await Container.CreateIfNotExistsAsync(cancellationToken: CancellationToken.None).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == BlobErrorCode.ContainerAlreadyExists)
        {
        }
    }

    /// <summary>A block blob client for a path of <see cref="BlobLayout"/>.</summary>
    public BlockBlobClient Blob(string name) => Container.GetBlockBlobClient(name);

    /// <summary>Reads a JSON blob, or returns <see langword="null"/> when it does not exist.</summary>
    public async Task<T?> ReadJsonAsync<T>(string name, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            var content = await Blob(name).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return content.Value.Content.ToObjectFromJson(typeInfo);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Writes a JSON blob, replacing any previous version.</summary>
    public async Task WriteJsonAsync<T>(string name, T value, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(value, typeInfo);
        await Blob(name).UploadAsync(
            new BinaryData(bytes).ToStream(),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes a JSON blob only if none exists; returns the blob's content either way, so that two
    /// writers racing agree on one value, and which of them wrote it.
    /// </summary>
    public async Task<CreateOnceResult<T>> WriteJsonIfAbsentAsync<T>(string name, T value, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            var bytes = JsonSerializer.SerializeToUtf8Bytes(value, typeInfo);
            await Blob(name).UploadAsync(
                new BinaryData(bytes).ToStream(),
                new BlobUploadOptions
                {
                    HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" },
                    Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                },
                cancellationToken).ConfigureAwait(false);
            return new CreateOnceResult<T>(value, Created: true);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            var existing = await ReadJsonAsync(name, typeInfo, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Blob '{name}' vanished while being created.", ex);
            return new CreateOnceResult<T>(existing, Created: false);
        }
    }

    /// <summary>Whether a blob exists.</summary>
    public async Task<bool> ExistsAsync(string name, CancellationToken cancellationToken) =>
        (await Blob(name).ExistsAsync(cancellationToken).ConfigureAwait(false)).Value;

    /// <summary>Reads a byte range of a blob into <paramref name="destination"/>, which must be exactly the range's length.</summary>
    public async Task ReadRangeAsync(string name, long offset, Memory<byte> destination, ETag? ifMatch, CancellationToken cancellationToken)
    {
        if (destination.IsEmpty)
        {
            return;
        }

        var options = new BlobDownloadOptions
        {
            Range = new HttpRange(offset, destination.Length),
            Conditions = ifMatch is { } etag ? new BlobRequestConditions { IfMatch = etag } : null,
        };
        var response = await Blob(name).DownloadStreamingAsync(options, cancellationToken).ConfigureAwait(false);
        var stream = response.Value.Content;
        await using (stream.ConfigureAwait(false))
        {
            await stream.ReadExactlyAsync(destination, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Deletes a blob if it exists.</summary>
    public async Task DeleteIfExistsAsync(string name, CancellationToken cancellationToken) =>
        await Blob(name).DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
}
