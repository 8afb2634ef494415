namespace BulkDurable.Ingestion.Payloads.Scanning;

/// <summary>
/// Finds record boundaries in a byte stream without parsing records, so that a payload can be
/// split into chunks at streaming speed and a chunk can be read on its own later. Scanners are
/// resumable: the caller hands in a window of the stream and, on
/// <see cref="ScanStatus.NeedMoreData"/>, a larger window that still starts at or before
/// <see cref="RetainFrom"/>. The planner and the chunk reader use the same scanners, so they always
/// agree on where a record starts and ends.
/// </summary>
internal abstract class RecordScanner
{
    /// <summary>How much of an oversized record is kept for the failed-records file.</summary>
    public const int SkippedPrefixBytes = 1024;

    private byte[]? _skippedPrefix;
    private int _skippedPrefixLength;

    protected RecordScanner(int maxRecordBytes, long startOffset, long startLine)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRecordBytes, 1);
        MaxRecordBytes = maxRecordBytes;
        Position = startOffset;
        Line = startLine;
    }

    /// <summary>Records longer than this are reported as <see cref="ScannedRecordKind.Oversized"/>.</summary>
    public int MaxRecordBytes { get; }

    /// <summary>Absolute offset of the next byte to examine.</summary>
    public long Position { get; protected set; }

    /// <summary>1-based line number at <see cref="Position"/>.</summary>
    public long Line { get; protected set; }

    /// <summary>The earliest absolute offset the caller's next window must still contain.</summary>
    public abstract long RetainFrom { get; }

    /// <summary>A problem with the payload as a whole (not attributable to one record), or <see langword="null"/>.</summary>
    public PayloadProblem? Problem { get; protected set; }

    /// <summary>
    /// The first bytes of the last record that was too large to keep in the window, captured before
    /// its start was released. Valid until the next oversized record.
    /// </summary>
    public ReadOnlySpan<byte> SkippedPrefix => _skippedPrefix.AsSpan(0, _skippedPrefixLength);

    /// <summary>Looks for the next record.</summary>
    /// <param name="window">Bytes of the stream from <paramref name="windowOffset"/>.</param>
    /// <param name="windowOffset">Absolute offset of <paramref name="window"/>[0]; at most <see cref="RetainFrom"/>.</param>
    /// <param name="isFinal">Whether the window reaches the end of the stream.</param>
    /// <param name="record">The record found, when the result is <see cref="ScanStatus.Found"/>.</param>
    public abstract ScanStatus Next(ReadOnlySpan<byte> window, long windowOffset, bool isFinal, out ScannedRecord record);

    /// <summary>Creates the scanner for a format.</summary>
    public static RecordScanner Create(PayloadFormat format, ScanScope scope, int maxRecordBytes, long startOffset = 0, long startLine = 1) => format switch
    {
        PayloadFormat.Ndjson => new NdjsonScanner(maxRecordBytes, startOffset, startLine),
        PayloadFormat.Csv => new CsvScanner(maxRecordBytes, startOffset, startLine),
        PayloadFormat.JsonArray => new JsonArrayScanner(scope, maxRecordBytes, startOffset, startLine),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    /// <summary>Keeps the start of a record that is about to be skipped rather than retained.</summary>
    protected void CaptureSkippedPrefix(ReadOnlySpan<byte> window, long windowOffset, long recordStart)
    {
        _skippedPrefix ??= new byte[SkippedPrefixBytes];
        var available = window[(int)(recordStart - windowOffset)..];
        _skippedPrefixLength = Math.Min(available.Length, SkippedPrefixBytes);
        available[.._skippedPrefixLength].CopyTo(_skippedPrefix);
    }

    /// <summary>Whether a record's bytes hold nothing but spaces, tabs and carriage returns.</summary>
    protected static bool IsBlank(ReadOnlySpan<byte> bytes) => bytes.IndexOfAnyExcept(" \t\r"u8) < 0;

    /// <summary>Length of a line without its trailing carriage return.</summary>
    protected static long TrimCarriageReturn(ReadOnlySpan<byte> window, long windowOffset, long start, long end) =>
        end > start && window[(int)(end - 1 - windowOffset)] == (byte)'\r' ? end - 1 - start : end - start;

    protected static string OversizedMessage(long length, int limit) =>
        $"record is {length:N0} bytes; the dataset's limit is {limit:N0} bytes";
}

/// <summary>A problem with a payload as a whole, with the line where it was found.</summary>
/// <param name="Line">1-based line number.</param>
/// <param name="Message">What is wrong.</param>
/// <param name="IsFatal">Whether no record of the payload can be trusted (nothing is loaded).</param>
public sealed record PayloadProblem(long Line, string Message, bool IsFatal);
