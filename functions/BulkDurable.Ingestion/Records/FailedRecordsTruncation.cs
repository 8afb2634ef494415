using System.Text.Json.Serialization;

namespace BulkDurable.Ingestion.Records;

/// <summary>
/// The last line of a failed-records file that reached its limits
/// (<c>BulkDurable:Ingestion:MaxRejectedRecords</c>, <c>MaxFailedRecordsBytes</c>): the records
/// before it are the first ones rejected, in record order; the job's <c>rejected</c> total still
/// counts every one. It has no <c>recordNumber</c>, so no reader can take it for a record.
/// </summary>
/// <param name="RecordsListed">Records in the file above this line.</param>
/// <param name="RecordsOmitted">Rejected records not in the file.</param>
/// <param name="Reason">Which limit was reached.</param>
/// <param name="FileTruncated">Always <see langword="true"/>: the marker readers look for, first on the line.</param>
public sealed record FailedRecordsTruncation(
    [property: JsonPropertyName("recordsListed")] long RecordsListed,
    [property: JsonPropertyName("recordsOmitted")] long RecordsOmitted,
    [property: JsonPropertyName("reason")] string Reason,
    [property: JsonPropertyName("fileTruncated"), JsonPropertyOrder(-1)] bool FileTruncated = true);
