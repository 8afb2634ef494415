using BulkDurable.Functions.Diagnostics;
using BulkDurable.Ingestion.Api;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace BulkDurable.Functions.Http;

/// <summary>Builds the Durable management URLs of a job's orchestration for the 202 response.</summary>
public interface IManagementLinkFactory
{
    /// <summary>The URLs, or null when the client cannot build them.</summary>
    ManagementLinksDocument? Create(DurableTaskClient client, string instanceId);
}

/// <summary>
/// <see cref="IManagementLinkFactory"/> over the Durable extension's <c>CreateHttpManagementPayload</c>:
/// the host's own webhook base URL and query (in Azure, the Durable system key).
/// </summary>
internal sealed class DurableManagementLinkFactory(ILogger<DurableManagementLinkFactory> logger) : IManagementLinkFactory
{
    public ManagementLinksDocument? Create(DurableTaskClient client, string instanceId)
    {
        ArgumentNullException.ThrowIfNull(client);
        try
        {
            var payload = client.CreateHttpManagementPayload(instanceId);
            return new ManagementLinksDocument(
                payload.Id ?? instanceId,
                payload.StatusQueryGetUri ?? string.Empty,
                payload.SendEventPostUri ?? string.Empty,
                payload.TerminatePostUri ?? string.Empty,
                payload.PurgeHistoryDeleteUri ?? string.Empty,
                payload.SuspendPostUri,
                payload.ResumePostUri);
        }
        catch (InvalidOperationException ex)
        {
            // Only a client the Functions binding did not create lacks the host's base URL.
            Log.ManagementLinksUnavailable(logger, ex, instanceId);
            return null;
        }
    }
}
