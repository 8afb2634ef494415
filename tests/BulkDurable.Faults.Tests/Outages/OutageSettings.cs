using System.Globalization;

namespace BulkDurable.Faults.Tests.Outages;

/// <summary>Engine settings for outage tests: many small chunks, short back-off, enough attempts to outlast a restart.</summary>
internal static class OutageSettings
{
    public static Dictionary<string, string?> Retrying(int maxAttempts, int chunkRecords = 1_000) => new()
    {
        ["BulkDurable:Ingestion:ChunkRecords"] = chunkRecords.ToString(CultureInfo.InvariantCulture),
        ["BulkDurable:Orchestration:Retry:MaxAttempts"] = maxAttempts.ToString(CultureInfo.InvariantCulture),
        ["BulkDurable:Orchestration:Retry:FirstInterval"] = "00:00:00.100",
        ["BulkDurable:Orchestration:Retry:BackoffCoefficient"] = "2",
        ["BulkDurable:Orchestration:Retry:MaxInterval"] = "00:00:02",
    };
}
