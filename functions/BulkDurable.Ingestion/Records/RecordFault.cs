namespace BulkDurable.Ingestion.Records;

/// <summary>Why one record was not accepted.</summary>
/// <param name="Field">The field at fault, or <see langword="null"/> when the record as a whole is.</param>
/// <param name="Message">What is wrong, for people.</param>
/// <param name="LineOffset">Lines between the record's first line and the fault (multi-line records).</param>
internal readonly record struct RecordFault(string? Field, string Message, int LineOffset = 0);
