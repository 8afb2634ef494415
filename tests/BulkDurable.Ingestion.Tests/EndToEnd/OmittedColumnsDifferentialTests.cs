using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using BulkDurable.Ingestion.Catalog;
using BulkDurable.Ingestion.Jobs;
using BulkDurable.Ingestion.Payloads;
using BulkDurable.Testing;

namespace BulkDurable.Ingestion.Tests.EndToEnd;

/// <summary>
/// The differential test of omitted columns (issue 14). A dataset has a key and one nullable column
/// of every type the catalog supports. For every format, plain and gzip-compressed, and for every
/// subset of those columns, records leave the subset out (a CSV header without those columns, JSON
/// objects without those fields), next to records with explicit nulls. The table must hold exactly
/// the rows PostgreSQL's own JSON parsing makes of the same logical records, where an omitted field
/// is NULL; so every format lands the same records as the same rows.
/// <para>
/// A CSV header is per payload, so CSV loads one job per subset, one after another in one process:
/// the buffers one job returns to the pools are what the next one gets, and a value left over from
/// another job shows as a wrong row. JSON omits fields per record, so one payload holds every
/// subset, in small chunks: records of different subsets share a chunk's buffers.
/// </para>
/// </summary>
public sealed class OmittedColumnsDifferentialTests(ServersFixture servers)
{
    /// <summary>Records per subset: two with every present column valued, one with explicit nulls.</summary>
    private const int RecordsPerSubset = 3;

    private static readonly ColumnType[] Types = Enum.GetValues<ColumnType>();

    private static readonly int Subsets = 1 << Types.Length;

    private static readonly DateTime Epoch = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Every payload format, each plain and gzip-compressed.</summary>
    public static TheoryData<PayloadFormat, PayloadCompression> Formats
    {
        get
        {
            var data = new TheoryData<PayloadFormat, PayloadCompression>();
            foreach (var format in Enum.GetValues<PayloadFormat>())
            {
                foreach (var compression in Enum.GetValues<PayloadCompression>())
                {
                    data.Add(format, compression);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Every_subset_of_omitted_nullable_columns_lands_as_the_rows_postgresql_makes_of_the_same_records(PayloadFormat format, PayloadCompression compression)
    {
        var dataset = await TestDataset.CreateAsync(
            servers.DataSource,
            "id bigint NOT NULL PRIMARY KEY, " + string.Join(", ", Types.Select(t => $"{ColumnName(t)} {t.ToSqlType()}")),
            new DatasetOptions
            {
                Columns = [new ColumnOptions { Name = "id", Type = ColumnType.Bigint, Nullable = false }, .. Types.Select(t => new ColumnOptions { Name = ColumnName(t), Type = t })],
                ConflictKey = ["id"],
            });
        await using var host = IngestionTestHost.Create(servers.Servers, new Dictionary<string, string?> { ["BulkDurable:Ingestion:ChunkRecords"] = "100" }, dataset);
        var fields = host.Catalog.Get(dataset.Name).Columns.Select(c => c.Field).ToArray();

        var wrongJobs = new List<string>();
        IEnumerable<(string Name, string Payload, int Records)> jobs = format == PayloadFormat.Csv
            ? Enumerable.Range(0, Subsets).Select(omitted => ($"omitting {{{Describe(omitted)}}}", Csv(fields, omitted, Records(omitted)), RecordsPerSubset))
            : [("every subset", Json(format, Enumerable.Range(0, Subsets).SelectMany(Records)), Subsets * RecordsPerSubset)];
        foreach (var (name, payload, records) in jobs)
        {
            var job = await host.SubmitAsync(dataset.Name, format, payload, compression);
            var result = (await host.RunAsync(job, 2, Ct)).Result;
            if (result.State != JobState.Completed || result.Inserted != records)
            {
                var failed = await host.FailedRecordsAsync(job.JobId);
                var reason = failed.Count > 0 ? failed[0] : "";
                wrongJobs.Add($"{name}: {result.State}, {result.Inserted} of {records} inserted, {result.Rejected} rejected {result.Error}{reason}");
            }
        }

        await using var reference = await ReferenceTable.CreateAsync(host, dataset.Name);
        await reference.ApplyJsonAsync(Enumerable.Range(0, Subsets).SelectMany(Records).Select(r => r.ToJsonString()));

        // Both checks are reported together: which jobs refused records, and what the loaded rows hold.
        var rows = await Record.ExceptionAsync(() => InvariantChecker.AssertSameRowsAsync(servers.DataSource, host.Catalog.Get(dataset.Name), reference, Ct));
        Assert.True(
            wrongJobs.Count == 0 && rows is null,
            $"{wrongJobs.Count} jobs did not load all their records{string.Concat(wrongJobs.Take(5).Select(j => "\n  " + j))}\n{rows?.Message ?? "The rows loaded are the reference's."}");
    }

    private static string ColumnName(ColumnType type) => "c_" + type.ToString().ToLowerInvariant();

    private static string Describe(int omitted) =>
        string.Join(", ", Types.Where((_, i) => (omitted & (1 << i)) != 0).Select(ColumnName));

    /// <summary>The logical records of one subset, as JSON objects without the omitted fields.</summary>
    private static IEnumerable<JsonObject> Records(int omitted)
    {
        for (var r = 0; r < RecordsPerSubset; r++)
        {
            var id = ((long)omitted * RecordsPerSubset) + r;
            var record = new JsonObject { ["id"] = id };
            for (var i = 0; i < Types.Length; i++)
            {
                if ((omitted & (1 << i)) == 0)
                {
                    record[ColumnName(Types[i])] = r == RecordsPerSubset - 1 ? null : Value(Types[i], id);
                }
            }

            yield return record;
        }
    }

    /// <summary>A value of each type that reads the same in every format (and in PostgreSQL's text form); varies with the record.</summary>
    private static JsonNode Value(ColumnType type, long id) => type switch
    {
        ColumnType.Text => $"t{id}, \"quoted\"\nline é",
        ColumnType.Int => (int)((id * 7919 % 2_000_000_000) - 1_000_000_000),
        ColumnType.Bigint => (id * 1_000_000_007L) - 5_000_000_000_000,
        ColumnType.Numeric => ((decimal)id / 8) - 100,
        ColumnType.Double => (id * 0.25) - 1000.5,
        ColumnType.Bool => id % 3 == 0,
        ColumnType.Timestamptz => Epoch.AddSeconds(id * 3607).AddTicks(id % 1000 * 10).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
        ColumnType.Date => DateOnly.FromDateTime(Epoch).AddDays((int)(id % 20_000) - 10_000).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ColumnType.Uuid => new Guid((int)id, (short)(id >> 32), 0x4abc, 0x8d, 0x1e, 2, 3, 4, 5, 6, (byte)id).ToString(),
        ColumnType.Jsonb => new JsonObject { ["n"] = id, ["s"] = "a,b \"c\"" },
        _ => throw new InvalidOperationException($"No test value for column type {type}: add one."),
    };

    private static string Json(PayloadFormat format, IEnumerable<JsonObject> records) => format switch
    {
        PayloadFormat.Ndjson => string.Concat(records.Select(r => r.ToJsonString() + "\n")),
        PayloadFormat.JsonArray => "[\n" + string.Join(",\n", records.Select(r => r.ToJsonString())) + "\n]\n",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    /// <summary>A CSV payload; the header names the present columns only, in an order that varies with the subset.</summary>
    private static string Csv(string[] fields, int omitted, IEnumerable<JsonObject> records)
    {
        var present = fields.Where(f => f == "id" || (omitted & (1 << Array.FindIndex(Types, t => ColumnName(t) == f))) == 0).ToList();
        var rotation = omitted % present.Count;
        var header = present.Skip(rotation).Concat(present.Take(rotation)).ToList();
        var csv = new StringBuilder(string.Join(",", header)).Append('\n');
        foreach (var record in records)
        {
            csv.AppendJoin(',', header.Select(f => CsvField(record[f]))).Append('\n');
        }

        return csv.ToString();
    }

    /// <summary>A value as a CSV field: null is an empty unquoted field; strings and JSON objects are quoted.</summary>
    private static string CsvField(JsonNode? value) => value switch
    {
        null => "",
        JsonObject json => Quote(json.ToJsonString()),
        JsonValue text when text.TryGetValue<string>(out var s) => Quote(s),
        _ => value.ToJsonString(),
    };

    private static string Quote(string text) => "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
