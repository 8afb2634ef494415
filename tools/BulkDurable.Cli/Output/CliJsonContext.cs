using System.Text.Json;
using System.Text.Json.Serialization;
using BulkDurable.Cli.Loading;
using BulkDurable.Ingestion.Api;
using BulkDurable.Ingestion.Uploads;

namespace BulkDurable.Cli.Output;

/// <summary>
/// JSON read and written by the CLI: System.Text.Json web defaults (camelCase), enums as strings and
/// nulls omitted, as the HTTP API writes them (the engine's <c>ApiJsonContext</c>), indented for people
/// reading <c>--json</c> output.
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
[JsonSerializable(typeof(JobStatusDocument))]
[JsonSerializable(typeof(LoadSummary))]
[JsonSerializable(typeof(JobAcceptedDocument))]
[JsonSerializable(typeof(UploadGrant))]
[JsonSerializable(typeof(ApiProblem))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
