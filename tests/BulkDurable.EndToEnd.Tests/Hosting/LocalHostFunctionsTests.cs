using System.Text.Json;
using BulkDurable.EndToEnd.Tests.Infrastructure;
using BulkDurable.Testing;

namespace BulkDurable.EndToEnd.Tests.Hosting;

/// <summary>The running host serves every function the deployed app declares.</summary>
public sealed class LocalHostFunctionsTests(ServersFixture servers, PublishedApp app) : IClassFixture<PublishedApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_function_in_the_published_functions_metadata_is_served_by_the_host_with_its_trigger()
    {
        await using var bed = await DurableTestBed.CreateAsync(servers, null, Ct);

        using var response = await bed.Host.Http.GetAsync("admin/functions", Ct);
        response.EnsureSuccessStatusCode();
        using var served = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));

        var names = served.RootElement.EnumerateArray().Select(f => f.GetProperty("name").GetString()!).ToHashSet(StringComparer.OrdinalIgnoreCase);
        Assert.NotEmpty(app.Functions);
        Assert.All(app.Functions, f => Assert.Contains(f.Name, names));
        if (!FunctionsHost.UsesFunc)
        {
            // The local host reports each function's trigger; it must be the one the metadata declares.
            var triggers = served.RootElement.EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!, f => f.GetProperty("trigger").GetString()!);
            Assert.All(app.Functions, f => Assert.Equal(f.TriggerType, TriggerTypeOf(triggers[f.Name])));
        }
    }

    private static string TriggerTypeOf(string trigger) => char.ToLowerInvariant(trigger[0]) + trigger[1..] + "Trigger";
}
