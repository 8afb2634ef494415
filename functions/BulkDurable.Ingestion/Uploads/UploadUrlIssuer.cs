using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Sas;
using BulkDurable.Ingestion.Api;
using BulkDurable.Ingestion.Jobs;
using BulkDurable.Ingestion.Serialization;
using BulkDurable.Ingestion.Staging;
using Microsoft.Extensions.Options;

namespace BulkDurable.Ingestion.Uploads;

/// <summary>
/// Issues short-lived, write-only URLs for payloads too large for a request body. Each URL names one
/// new blob under <c>uploads/</c> and allows only create and write, never read, list or delete. It
/// is signed with the account key when the client has one (Azurite, connection strings), otherwise
/// with a user delegation key obtained with the app's Entra identity (Azure, no shared keys).
/// </summary>
public sealed class UploadUrlIssuer(IngestionBlobStore store, BlobServiceClient service, IOptions<ApiOptions> options, TimeProvider timeProvider)
{
    // A delegation key is reused for many URLs; it is requested for this long and replaced when it
    // would expire before the URL it signs.
    private static readonly TimeSpan DelegationKeyLifetime = TimeSpan.FromHours(6);

    // Tolerates clock skew between this host and the storage service.
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    private UserDelegationKey? _delegationKey;

    /// <summary>Issues a URL for a new upload, to <paramref name="caller"/> (only that caller may submit it).</summary>
    /// <param name="caller">The caller's id, or null for the anonymous caller.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<UploadGrant> IssueAsync(string? caller, CancellationToken cancellationToken)
    {
        await store.EnsureContainerAsync(cancellationToken).ConfigureAwait(false);
        var uploadId = JobIds.New();
        var blob = store.Blob(BlobLayout.Upload(uploadId));
        var now = timeProvider.GetUtcNow();
        var expiresAt = now + options.Value.UploadSasLifetime;
        await store.WriteJsonAsync(BlobLayout.UploadIssue(uploadId), new UploadIssue(caller, expiresAt), IngestionJsonContext.Default.UploadIssue, cancellationToken).ConfigureAwait(false);
        var sas = new BlobSasBuilder(BlobSasPermissions.Create | BlobSasPermissions.Write, expiresAt)
        {
            BlobContainerName = blob.BlobContainerName,
            BlobName = blob.Name,
            Resource = "b",
            Protocol = blob.Uri.Scheme == Uri.UriSchemeHttps ? SasProtocol.Https : SasProtocol.HttpsAndHttp,
        };

        var url = blob.CanGenerateSasUri
            ? blob.GenerateSasUri(sas)
            : blob.GenerateUserDelegationSasUri(sas, await DelegationKeyAsync(now, expiresAt, cancellationToken).ConfigureAwait(false));
        return new UploadGrant(uploadId, url, expiresAt, new Dictionary<string, string>(StringComparer.Ordinal) { ["x-ms-blob-type"] = "BlockBlob" });
    }

    /// <summary>Whether upload <paramref name="uploadId"/> was issued to <paramref name="caller"/> (null for the anonymous caller).</summary>
    public async Task<bool> IsIssuedToAsync(string uploadId, string? caller, CancellationToken cancellationToken)
    {
        var issue = await store.ReadJsonAsync(BlobLayout.UploadIssue(uploadId), IngestionJsonContext.Default.UploadIssue, cancellationToken).ConfigureAwait(false);
        return string.Equals(issue?.Caller, caller, StringComparison.Ordinal);
    }

    private async Task<UserDelegationKey> DelegationKeyAsync(DateTimeOffset now, DateTimeOffset validUntil, CancellationToken cancellationToken)
    {
        var key = _delegationKey;
        if (key is not null && key.SignedExpiresOn >= validUntil + ClockSkew)
        {
            return key;
        }

        // Two requests racing here both fetch a key; either is valid, the last one is kept.
        var response = await service.GetUserDelegationKeyAsync(
            new BlobGetUserDelegationKeyOptions(validUntil + DelegationKeyLifetime) { StartsOn = now - ClockSkew },
            cancellationToken).ConfigureAwait(false);
        _delegationKey = response.Value;
        return response.Value;
    }
}
