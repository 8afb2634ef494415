using System.Security.Cryptography;
using BulkDurable.Ingestion.Staging;
using BulkDurable.Testing;

namespace BulkDurable.Ingestion.Tests.Staging;

public sealed class PayloadStagerTests(ServersFixture servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_staged_payload_has_its_hash_and_length_and_the_same_bytes_in_blob_storage()
    {
        await using var host = IngestionTestHost.Create(servers.Servers);
        var bytes = new byte[20 << 20];
        new Random(1).NextBytes(bytes);

        var staged = await host.Get<PayloadStager>().StageAsync(new ForwardOnlyStream(bytes), Ct);

        Assert.Equal(bytes.Length, staged.Length);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), staged.Sha256);
        Assert.StartsWith("uploads/", staged.BlobName, StringComparison.Ordinal);
        var stored = (await host.Store.Blob(staged.BlobName).DownloadContentAsync(Ct)).Value.Content.ToArray();
        Assert.Equal(bytes, stored);
        var described = await host.Get<PayloadStager>().DescribeUploadAsync(staged.BlobName["uploads/".Length..], Ct);

        // A payload the request staged needs no version pin; an upload is described with the version hashed.
        Assert.Null(staged.ETag);
        Assert.NotNull(described);
        Assert.Equal((await host.Store.Blob(staged.BlobName).GetPropertiesAsync(cancellationToken: Ct)).Value.ETag.ToString(), described.ETag);
        Assert.Equal(staged, described with { ETag = null });
    }

    [Fact]
    public async Task A_payload_over_the_limit_is_refused_and_nothing_is_kept()
    {
        await using var host = IngestionTestHost.Create(servers.Servers, new Dictionary<string, string?> { ["BulkDurable:Ingestion:MaxPayloadBytes"] = "1000000" });

        await Assert.ThrowsAsync<PayloadTooLargeException>(() => host.Get<PayloadStager>().StageAsync(new ForwardOnlyStream(new byte[3_000_000]), Ct));

        var blobs = new List<string>();
        await foreach (var blob in host.Store.Container.GetBlobsAsync(cancellationToken: Ct))
        {
            blobs.Add(blob.Name);
        }

        Assert.Empty(blobs);
    }

    /// <summary>A request body: no length, no seeking.</summary>
    private sealed class ForwardOnlyStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();
    }
}
