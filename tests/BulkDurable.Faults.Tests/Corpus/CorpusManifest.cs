using System.Text.Json;
using BulkDurable.Ingestion.Catalog;
using BulkDurable.Testing;

namespace BulkDurable.Faults.Tests.Corpus;

/// <summary><c>tests/corpus/cases.json</c>: the corpus dataset and every case with its exact expected outcome.</summary>
internal sealed record CorpusManifest(CorpusDataset Dataset, IReadOnlyList<CorpusCase> Cases)
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    private static readonly Lazy<CorpusManifest> Loaded = new(() =>
        JsonSerializer.Deserialize<CorpusManifest>(File.ReadAllText(Path("cases.json")), Options)
        ?? throw new InvalidOperationException("tests/corpus/cases.json is empty."));

    public static CorpusManifest Instance => Loaded.Value;

    /// <summary>A path under <c>tests/corpus</c>.</summary>
    public static string Path(string relative) => RepositoryPaths.Combine("tests", "corpus", relative);

    public CorpusCase Case(string name) => Cases.Single(c => c.Name == name);
}

/// <summary>The table every loading case gets a fresh copy of, and its dataset declaration.</summary>
internal sealed record CorpusDataset(string Ddl, List<ColumnOptions> Columns, List<string> ConflictKey, ConflictAction OnConflict, int MaxRecordBytes)
{
    public DatasetOptions ToOptions() => new()
    {
        Columns = Columns,
        ConflictKey = ConflictKey,
        OnConflict = OnConflict,
        MaxRecordBytes = MaxRecordBytes,
    };
}

/// <summary>What a corpus case is and what must happen to it.</summary>
internal enum CorpusExpectation
{
    /// <summary>The job runs; the exact records listed are rejected, the others load.</summary>
    Loaded,

    /// <summary>The payload cannot be loaded at all: the job fails with the error, nothing is written.</summary>
    PayloadRejected,

    /// <summary>The request's Content-Type / Content-Encoding is refused (415).</summary>
    UnsupportedMediaType,

    /// <summary>The dataset is not in the catalog (404): no job, no rows.</summary>
    UnknownDataset,

    /// <summary>The dataset declaration itself is refused by catalog validation.</summary>
    CatalogRefused,
}

/// <summary>One case of the corpus.</summary>
internal sealed record CorpusCase(
    string Name,
    string Description,
    CorpusExpectation Expect,
    string? File = null,
    string? ContentType = null,
    string? ContentEncoding = null,
    string? Dataset = null,
    string? State = null,
    long Submitted = 0,
    long Inserted = 0,
    long Unchanged = 0,
    IReadOnlyList<CorpusRejection>? Rejections = null,
    string? Error = null,
    string? Problem = null,
    string? Reference = null,
    IReadOnlyDictionary<string, string?>? Settings = null,
    string? CatalogDataset = null,
    DatasetOptions? Catalog = null);

/// <summary>An expected rejection: record number, line, field ('' = none) and a substring of the error.</summary>
internal sealed record CorpusRejection(long RecordNumber, long Line, string Field, string Error)
{
    public ExpectedRejection ToExpected() => new(RecordNumber, Line, Field, Error);
}
