using System.Net;
using BulkDurable.EndToEnd.Tests.Infrastructure;
using BulkDurable.Testing;

namespace BulkDurable.EndToEnd.Tests.Hosting;

/// <summary>
/// With keys configured, the local Durable host checks them as the Functions host does in Azure
/// (<c>func start</c> checks none, so these run on the local host only).
/// </summary>
[Trait("Category", "LocalHostOnly")]
public sealed class HostKeysTests(ServersFixture servers)
{
    private const string FunctionKey = "fk-0b1c2d3e4f";
    private const string SystemKey = "sk-9a8b7c6d5e";
    private const string MasterKey = "mk-1234567890";

    private static readonly Dictionary<string, string?> Keys = new()
    {
        ["LocalHost:Keys:Functions:client-a"] = FunctionKey,
        ["LocalHost:Keys:System"] = SystemKey,
        ["LocalHost:Keys:Master"] = MasterKey,

        // Handed out knowingly: with a system key set, the default hands out no management URL.
        ["BulkDurable:Api:ManagementLinks"] = "All",
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_function_route_needs_a_function_key_and_the_durable_api_needs_the_system_key()
    {
        await using var bed = await DurableTestBed.CreateAsync(servers, Keys, Ct);
        var payload = SensorPayload.Generate(10);

        var anonymous = await bed.Api.SubmitAsync(bed.Dataset.Name, payload.Bytes, "application/x-ndjson", cancellationToken: Ct);
        bed.Host.Http.DefaultRequestHeaders.Add("x-functions-key", FunctionKey);
        var keyed = await bed.Api.SubmitAsync(bed.Dataset.Name, payload.Bytes, "application/x-ndjson", cancellationToken: Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.Status);
        Assert.True(keyed.Status == HttpStatusCode.Accepted, keyed.ToString());
        var jobId = keyed.Json.GetProperty("jobId").GetString()!;
        var statusUrl = keyed.Json.GetProperty("management").GetProperty("statusQueryGetUri").GetString()!;
        Assert.Contains("code=" + SystemKey, statusUrl, StringComparison.Ordinal);

        // A function key opens the app's routes, not the Durable HTTP API nor the admin API.
        var withFunctionKey = await bed.Api.GetAsync(statusUrl.Replace("code=" + SystemKey, "code=" + FunctionKey, StringComparison.Ordinal), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, withFunctionKey.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await bed.Api.GetAsync("admin/functions", Ct)).Status);

        // The header wins over ?code=, as on the Functions host: the management URL alone must open the API.
        bed.Host.Http.DefaultRequestHeaders.Remove("x-functions-key");
        var withSystemKey = await bed.Api.GetAsync(statusUrl, Ct);
        Assert.Contains(withSystemKey.Status, new[] { HttpStatusCode.OK, HttpStatusCode.Accepted });
        Assert.Equal(jobId, withSystemKey.Json.GetProperty("instanceId").GetString());
        bed.Host.Http.DefaultRequestHeaders.Add("x-functions-key", FunctionKey);
        await bed.Api.WaitForTerminalAsync(jobId, TimeSpan.FromMinutes(1), Ct);
    }
}
