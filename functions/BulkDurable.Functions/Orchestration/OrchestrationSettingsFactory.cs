using BulkDurable.Ingestion.Configuration;
using Microsoft.Extensions.Options;

namespace BulkDurable.Functions.Orchestration;

/// <summary>Builds <see cref="OrchestrationSettings"/> from the validated options, for the HTTP starters.</summary>
public sealed class OrchestrationSettingsFactory(IOptions<OrchestrationOptions> orchestration, IOptions<IngestionOptions> ingestion)
{
    /// <summary>The settings a job scheduled now runs with.</summary>
    public OrchestrationSettings Create() => OrchestrationSettings.From(orchestration.Value, ingestion.Value);
}
