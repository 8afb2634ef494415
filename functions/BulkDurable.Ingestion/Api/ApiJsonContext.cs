using System.Text.Json;
using System.Text.Json.Serialization;
using BulkDurable.Ingestion.Uploads;

namespace BulkDurable.Ingestion.Api;

/// <summary>
/// Source-generated JSON for every document the HTTP API returns: camelCase names, enums as strings,
/// nulls omitted. The same shapes the CLI reads.
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(JobStatusDocument))]
[JsonSerializable(typeof(JobAcceptedDocument))]
[JsonSerializable(typeof(ApiProblem))]
[JsonSerializable(typeof(UploadGrant))]
public sealed partial class ApiJsonContext : JsonSerializerContext;
