using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;
using BulkDurable.Ingestion.Staging;
using BulkDurable.Testing;

namespace BulkDurable.Ingestion.Tests.Staging;

public sealed class IngestionBlobStoreTests(ServersFixture servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_container_creation_that_fails_once_is_tried_again_on_the_next_call()
    {
        var outage = new FailCreateContainerOnce();
        var options = new BlobClientOptions { Retry = { MaxRetries = 0 } };
        options.AddPolicy(outage, HttpPipelinePosition.PerCall);
        var container = new BlobServiceClient(servers.Servers.StorageConnectionString, options).GetBlobContainerClient("test-" + Guid.NewGuid().ToString("N")[..20]);
        var store = new IngestionBlobStore(container);

        var first = await Assert.ThrowsAsync<RequestFailedException>(() => store.EnsureContainerAsync(Ct));
        await store.EnsureContainerAsync(Ct);
        await store.EnsureContainerAsync(Ct);

        Assert.Equal(503, first.Status);
        Assert.True(await container.ExistsAsync(Ct));
        Assert.Equal(2, outage.CreateRequests);
        await container.DeleteAsync(cancellationToken: Ct);
    }

    /// <summary>Answers the first Create Container request with 503, as a restarting Azurite or a throttled account would.</summary>
    private sealed class FailCreateContainerOnce : HttpPipelinePolicy
    {
        private int _creates;

        public int CreateRequests => Volatile.Read(ref _creates);

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            throw new NotSupportedException("The store is async.");

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            var isCreate = message.Request.Method == RequestMethod.Put && message.Request.Uri.Query.Contains("restype=container", StringComparison.Ordinal);
            if (isCreate && Interlocked.Increment(ref _creates) == 1)
            {
                message.Response = new ServiceUnavailableResponse();
                return;
            }

            await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
        }
    }

    private sealed class ServiceUnavailableResponse : Response
    {
        public override int Status => 503;

        public override string ReasonPhrase => "Service Unavailable";

        public override Stream? ContentStream { get; set; }

        public override string ClientRequestId { get; set; } = string.Empty;

        public override void Dispose()
        {
        }

        protected override bool ContainsHeader(string name) => false;

        protected override IEnumerable<HttpHeader> EnumerateHeaders() => [];

        protected override bool TryGetHeader(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value)
        {
            value = null;
            return false;
        }

        protected override bool TryGetHeaderValues(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IEnumerable<string>? values)
        {
            values = null;
            return false;
        }
    }
}
