using BulkDurable.Ingestion.Jobs;

namespace BulkDurable.Testing;

/// <summary>
/// What a job must have done, as the test knows it independently of the engine: how many records
/// were submitted, exactly which were rejected (and why), and what the target table must hold
/// (a <see cref="ReferenceTable"/> filled by PostgreSQL's own parsing). Checked by
/// <see cref="InvariantChecker"/>.
/// </summary>
public sealed record JobExpectation
{
    /// <summary>The dataset the job loads (its table and columns are compared).</summary>
    public required string Dataset { get; init; }

    /// <summary>Records in the payload.</summary>
    public required long Submitted { get; init; }

    /// <summary>Exactly the records that must be rejected, in any order.</summary>
    public IReadOnlyList<ExpectedRejection> Rejections { get; init; } = [];

    /// <summary>The final state, when the test cares.</summary>
    public JobState? State { get; init; }

    /// <summary>Records of chunks that must not be loaded (failed or never run).</summary>
    public long NotLoaded { get; init; }

    /// <summary>Exact count of records that created a row, when the test knows it.</summary>
    public long? Inserted { get; init; }

    /// <summary>Exact count of records that changed a row, when the test knows it.</summary>
    public long? Updated { get; init; }

    /// <summary>Exact count of records that matched a row and changed nothing, when the test knows it.</summary>
    public long? Unchanged { get; init; }

    /// <summary>
    /// The rows the target table must hold, exactly (over the dataset's columns), or
    /// <see langword="null"/> to skip the content check.
    /// </summary>
    public ReferenceTable? Reference { get; init; }

    /// <summary>A substring the result's error must contain (jobs that could not run at all).</summary>
    public string? ErrorContains { get; init; }
}

/// <summary>One record that must be rejected.</summary>
/// <param name="RecordNumber">1-based record number in the payload.</param>
/// <param name="Line">The line the failed-records file must report, when checked.</param>
/// <param name="Field">
/// The field it must name, when checked; <see cref="NoField"/> when the record as a whole is at fault.
/// </param>
/// <param name="ErrorContains">A substring the error must contain, when checked.</param>
public sealed record ExpectedRejection(long RecordNumber, long? Line = null, string? Field = null, string? ErrorContains = null)
{
    /// <summary>The <see cref="Field"/> value meaning "no field is named".</summary>
    public const string NoField = "";
}
