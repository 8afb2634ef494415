using System.Text.Json;
using System.Text.Json.Serialization;

namespace BulkDurable.Functions;

/// <summary>
/// How Durable payloads are serialized (orchestration inputs and outputs, activity inputs and results,
/// entity state): camelCase and enums as strings, like the engine's blobs, so stored state is readable
/// and survives enum reordering.
/// </summary>
public static class FunctionsJson
{
    /// <summary>Applies the settings to the worker's serializer options.</summary>
    public static void Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.PropertyNameCaseInsensitive = true;
        options.Converters.Add(new JsonStringEnumConverter());
    }
}
