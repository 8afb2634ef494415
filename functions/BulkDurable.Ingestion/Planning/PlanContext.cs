using BulkDurable.Ingestion.Payloads;

namespace BulkDurable.Ingestion.Planning;

/// <summary>
/// What loading any chunk of a plan needs to know, available from the start of planning (and
/// kept in the manifest): the plan's identity, the dataset, how to read records, where the bytes are.
/// </summary>
/// <param name="JobId">The job.</param>
/// <param name="PlanId">The plan's identity (<see cref="PlanSettings.PlanIdFor"/>).</param>
/// <param name="Dataset">The target dataset.</param>
/// <param name="Format">The record format.</param>
/// <param name="CsvFields">The CSV header's fields (CSV only).</param>
/// <param name="SourceBlob">The blob chunk byte ranges refer to.</param>
/// <param name="SourceETag">The version of that blob the plan was made from.</param>
public sealed record PlanContext(string JobId, string PlanId, string Dataset, PayloadFormat Format, IReadOnlyList<string>? CsvFields, string SourceBlob, string SourceETag);
