using System.Text.Json;
using System.Text.Json.Serialization;
using BulkDurable.Ingestion.Jobs;
using BulkDurable.Ingestion.Planning;
using BulkDurable.Ingestion.Records;

namespace BulkDurable.Ingestion.Serialization;

/// <summary>
/// Source-generated JSON for everything the engine stores in blobs: camelCase names, enums as
/// strings, nulls omitted.
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(JobDescriptor))]
[JsonSerializable(typeof(JobManifest))]
[JsonSerializable(typeof(JobResult))]
[JsonSerializable(typeof(RejectedRecord))]
[JsonSerializable(typeof(FailedRecordsTruncation))]
[JsonSerializable(typeof(ChunkOutcome))]
[JsonSerializable(typeof(Uploads.UploadIssue))]
public sealed partial class IngestionJsonContext : JsonSerializerContext;
