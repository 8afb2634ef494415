using System.Security.Cryptography;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using BulkDurable.Ingestion.Api;
using BulkDurable.Ingestion.Configuration;
using BulkDurable.Ingestion.Staging;
using BulkDurable.Ingestion.Uploads;
using BulkDurable.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BulkDurable.Ingestion.Tests.Uploads;

/// <summary>Upload URLs against the real Azurite: they write one new blob and can do nothing else.</summary>
public sealed class UploadUrlIssuerTests(ServersFixture servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_payload_put_through_the_url_is_the_upload_a_job_is_submitted_from()
    {
        await using var host = IngestionTestHost.Create(servers.Servers);
        var grant = await Issuer(host).IssueAsync(null, Ct);
        var payload = RandomNumberGenerator.GetBytes(300_000);

        await new BlockBlobClient(grant.UploadUrl).UploadAsync(new MemoryStream(payload), cancellationToken: Ct);

        var staged = await host.Get<PayloadStager>().DescribeUploadAsync(grant.UploadId, Ct);
        Assert.NotNull(staged);
        Assert.Equal(BlobLayout.Upload(grant.UploadId), staged.BlobName);
        Assert.Equal(payload.Length, staged.Length);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(payload)), staged.Sha256);
    }

    [Fact]
    public async Task Large_payloads_can_be_put_as_blocks()
    {
        await using var host = IngestionTestHost.Create(servers.Servers);
        var grant = await Issuer(host).IssueAsync(null, Ct);
        var blocks = new BlockBlobClient(grant.UploadUrl);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var id = Convert.ToBase64String(BitConverter.GetBytes(i));
            await blocks.StageBlockAsync(id, new MemoryStream(new byte[100_000]), cancellationToken: Ct);
            ids.Add(id);
        }

        await blocks.CommitBlockListAsync(ids, cancellationToken: Ct);

        var staged = await host.Get<PayloadStager>().DescribeUploadAsync(grant.UploadId, Ct);
        Assert.Equal(300_000, staged?.Length);
    }

    [Fact]
    public async Task The_url_cannot_read_or_delete_its_blob()
    {
        await using var host = IngestionTestHost.Create(servers.Servers);
        var grant = await Issuer(host).IssueAsync(null, Ct);
        var blob = new BlobClient(grant.UploadUrl);
        await blob.UploadAsync(new BinaryData("{\"a\":1}\n"), Ct);

        var read = await Assert.ThrowsAsync<RequestFailedException>(() => blob.DownloadContentAsync(Ct));
        Assert.Equal(403, read.Status);
        var properties = await Assert.ThrowsAsync<RequestFailedException>(() => blob.GetPropertiesAsync(cancellationToken: Ct));
        Assert.Equal(403, properties.Status);
        var delete = await Assert.ThrowsAsync<RequestFailedException>(() => blob.DeleteAsync(cancellationToken: Ct));
        Assert.Equal(403, delete.Status);
        Assert.True(await host.Store.ExistsAsync(BlobLayout.Upload(grant.UploadId), Ct));
    }

    [Fact]
    public async Task The_url_cannot_write_any_other_blob()
    {
        await using var host = IngestionTestHost.Create(servers.Servers);
        var grant = await Issuer(host).IssueAsync(null, Ct);
        var other = new UriBuilder(grant.UploadUrl) { Path = grant.UploadUrl.AbsolutePath.Replace(grant.UploadId, "someone-elses-upload", StringComparison.Ordinal) };

        var write = await Assert.ThrowsAsync<RequestFailedException>(() => new BlobClient(other.Uri).UploadAsync(new BinaryData("x"), Ct));

        Assert.Equal(403, write.Status);
        Assert.False(await host.Store.ExistsAsync(BlobLayout.Upload("someone-elses-upload"), Ct));
    }

    [Fact]
    public async Task The_url_grants_create_and_write_only_and_expires_after_the_configured_lifetime()
    {
        await using var host = IngestionTestHost.Create(servers.Servers);
        var now = DateTimeOffset.UtcNow;
        var grant = await Issuer(host, new FixedTime(now), TimeSpan.FromMinutes(7)).IssueAsync(null, Ct);

        Assert.Equal(now + TimeSpan.FromMinutes(7), grant.ExpiresAt);
        var query = grant.UploadUrl.Query.TrimStart('?').Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));
        Assert.Equal("cw", query["sp"]);
        Assert.Equal("b", query["sr"]);
        Assert.Equal("BlockBlob", grant.Headers["x-ms-blob-type"]);
        Assert.StartsWith(host.Store.Container.Uri.AbsoluteUri + "/uploads/" + grant.UploadId, grant.UploadUrl.AbsoluteUri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_expired_url_is_refused()
    {
        await using var host = IngestionTestHost.Create(servers.Servers);
        var grant = await Issuer(host, new FixedTime(DateTimeOffset.UtcNow.AddHours(-2)), TimeSpan.FromMinutes(15)).IssueAsync(null, Ct);

        var write = await Assert.ThrowsAsync<RequestFailedException>(() => new BlobClient(grant.UploadUrl).UploadAsync(new BinaryData("x"), Ct));

        Assert.Equal(403, write.Status);
    }

    [Fact]
    public async Task Every_url_names_a_new_upload()
    {
        await using var host = IngestionTestHost.Create(servers.Servers);
        var issuer = Issuer(host);

        var first = await issuer.IssueAsync(null, Ct);
        var second = await issuer.IssueAsync(null, Ct);

        Assert.NotEqual(first.UploadId, second.UploadId);
    }

    [Fact]
    public async Task The_api_registration_resolves_a_validated_issuer()
    {
        await using var host = IngestionTestHost.Create(servers.Servers);
        await using var services = new ServiceCollection()
            .AddLogging()
            .AddBulkDurableIngestion(host.Configuration)
            .AddBulkDurableApi(host.Configuration)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        var grant = await services.GetRequiredService<UploadUrlIssuer>().IssueAsync(null, Ct);

        Assert.InRange(grant.ExpiresAt - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(14), TimeSpan.FromMinutes(15));
    }

    private static UploadUrlIssuer Issuer(IngestionTestHost host, TimeProvider? time = null, TimeSpan? lifetime = null) =>
        new(host.Store, host.Get<BlobServiceClient>(), Options.Create(new ApiOptions { UploadSasLifetime = lifetime ?? TimeSpan.FromMinutes(15) }), time ?? TimeProvider.System);

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
