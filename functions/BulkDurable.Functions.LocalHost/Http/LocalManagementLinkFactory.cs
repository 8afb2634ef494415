using BulkDurable.Functions.Http;
using BulkDurable.Functions.LocalHost.Durable;
using BulkDurable.Ingestion.Api;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.DurableTask.Client;

namespace BulkDurable.Functions.LocalHost.Http;

/// <summary>
/// The built-in management URLs of an instance on this host, in the Durable extension's format
/// (<c>CreateHttpManagementPayload</c>): this host's <c>/runtime/webhooks/durabletask</c> base, the task
/// hub and connection in the query, and the system key as <c>code</c> when one is set. In the Functions
/// host the Durable client binding supplies the base URL and query; here the host supplies them.
/// </summary>
internal sealed class LocalManagementLinkFactory(IServer server, TaskHub hub, HostKeys keys) : IManagementLinkFactory
{
    /// <inheritdoc/>
    public ManagementLinksDocument? Create(DurableTaskClient client, string instanceId)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        var baseUrl = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()?.TrimEnd('/');
        if (baseUrl is null)
        {
            return null;
        }

        var instance = $"{baseUrl}{DurableHttpApi.BasePath}/instances/{Uri.EscapeDataString(instanceId)}";
        var query = $"taskHub={Uri.EscapeDataString(hub.Settings.HubName)}&connection=Storage" + (keys.SystemKey is { } code ? "&code=" + Uri.EscapeDataString(code) : string.Empty);
        return new ManagementLinksDocument(
            instanceId,
            $"{instance}?{query}",
            $"{instance}/raiseEvent/{{eventName}}?{query}",
            $"{instance}/terminate?reason={{{{text}}}}&{query}",
            $"{instance}?{query}",
            $"{instance}/suspend?reason={{{{text}}}}&{query}",
            $"{instance}/resume?reason={{{{text}}}}&{query}");
    }
}
