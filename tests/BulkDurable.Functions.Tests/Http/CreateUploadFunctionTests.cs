using BulkDurable.Functions.Http;
using BulkDurable.Functions.Tests.Fakes;
using BulkDurable.Testing;

namespace BulkDurable.Functions.Tests.Http;

public sealed class CreateUploadFunctionTests(ServersFixture servers)
{
    [Fact]
    public async Task Answers_201_with_upload_id_url_and_expiry()
    {
        await using var host = FunctionsTestHost.Create(servers);
        var request = HttpExchange.Request("POST");

        var response = await (await host.Function<CreateUploadFunction>().RunAsync(request, TestContext.Current.CancellationToken)).ExecuteAsync(request);

        Assert.Equal(201, response.Status);
        var uploadId = response.Json.GetProperty("uploadId").GetString();
        Assert.Contains($"/uploads/{uploadId}?", response.Json.GetProperty("uploadUrl").GetString(), StringComparison.Ordinal);
        Assert.True(response.Json.GetProperty("expiresAt").GetDateTimeOffset() > DateTimeOffset.UtcNow);
    }
}
