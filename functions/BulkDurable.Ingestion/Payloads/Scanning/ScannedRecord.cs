namespace BulkDurable.Ingestion.Payloads.Scanning;

/// <summary>What a scanner found.</summary>
internal enum ScannedRecordKind
{
    /// <summary>A record within the size limit, to be parsed and validated.</summary>
    Record,

    /// <summary>A record larger than the dataset's limit; rejected without being buffered.</summary>
    Oversized,

    /// <summary>Bytes that cannot be a record (unterminated quote, truncated JSON, missing separator).</summary>
    Malformed,
}

/// <summary>One record's place in the payload. Offsets are absolute (in the decoded payload).</summary>
/// <param name="Kind">What was found.</param>
/// <param name="Start">Offset of the record's first byte.</param>
/// <param name="Length">Length in bytes, without the line terminator or separator.</param>
/// <param name="Line">1-based line number of the record's first byte.</param>
/// <param name="Error">Why a non-<see cref="ScannedRecordKind.Record"/> was rejected.</param>
internal readonly record struct ScannedRecord(ScannedRecordKind Kind, long Start, long Length, long Line, string? Error = null);

/// <summary>The result of one <see cref="RecordScanner.Next"/> call.</summary>
internal enum ScanStatus
{
    /// <summary>A record (of any kind) was found.</summary>
    Found,

    /// <summary>The window ends inside a record; call again with more bytes.</summary>
    NeedMoreData,

    /// <summary>No more records.</summary>
    End,
}

/// <summary>Whether a scanner reads a whole payload or one chunk's byte range of it.</summary>
internal enum ScanScope
{
    /// <summary>A whole payload: JSON arrays include their brackets.</summary>
    Payload,

    /// <summary>A chunk: JSON array elements and separators only, starting at an element.</summary>
    Chunk,
}
