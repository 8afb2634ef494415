using System.Globalization;
using System.Text;
using BulkDurable.Ingestion.Jobs;

namespace BulkDurable.Testing;

/// <summary>
/// An NDJSON payload for the <c>sensor_readings</c> shape (<see cref="TestDataset.SensorReadingsAsync"/>)
/// with, optionally, an invalid record at a regular interval, and what the test knows about it: the
/// valid records (for the <see cref="ReferenceTable"/>) and the expected rejections.
/// </summary>
public sealed class SensorPayload
{
    /// <summary>Invalid records, in rotation, with the field and reason their rejection must name.</summary>
    private static readonly (string Line, string Field, string Reason)[] InvalidKinds =
    [
        ("{\"sensor_id\":\"bad\",\"sampled_at\":\"2024-01-01T00:00:00Z\",\"value\":\"high\"}", "value", "expected a number"),
        ("{\"sampled_at\":\"2024-01-01T00:00:00Z\",\"value\":1}", "sensor_id", "missing required field"),
        ("{\"sensor_id\":\"bad\",\"sampled_at\":\"2024-01-01T00:00:00Z\",\"colour\":\"red\"}", "colour", "unknown field"),
        ("{\"sensor_id\":\"bad\",\"sampled_at\":\"2024-01-01T00:00:00Z\",\"value\":1.0", ExpectedRejection.NoField, "invalid JSON"),
        ("{\"sensor_id\":\"bad\",\"sampled_at\":\"2024-02-30T00:00:00Z\"}", "sampled_at", "not a valid timestamp"),
    ];

    private SensorPayload(string text, IReadOnlyList<string> valid, IReadOnlyList<ExpectedRejection> rejections, int records)
    {
        Text = text;
        ValidRecords = valid;
        Rejections = rejections;
        Records = records;
    }

    public string Text { get; }

    public byte[] Bytes => Encoding.UTF8.GetBytes(Text);

    /// <summary>The records expected to load, in payload order.</summary>
    public IReadOnlyList<string> ValidRecords { get; }

    public IReadOnlyList<ExpectedRejection> Rejections { get; }

    /// <summary>Records in the payload.</summary>
    public int Records { get; }

    /// <summary>
    /// Record <c>i</c> (1-based) has key (<paramref name="sensor"/>(i), epoch + i s), value i + <paramref name="valueOffset"/>
    /// and note <paramref name="note"/>(i); every <paramref name="invalidEvery"/>-th record is invalid instead.
    /// </summary>
    public static SensorPayload Generate(int records, int invalidEvery = 0, double valueOffset = 0, Func<int, string>? sensor = null, Func<int, string>? note = null, IReadOnlyList<int>? order = null)
    {
        var text = new StringBuilder(records * 100);
        var valid = new List<string>(records);
        var rejections = new List<ExpectedRejection>();
        var numbers = order ?? Enumerable.Range(1, records).ToList();
        for (var position = 1; position <= numbers.Count; position++)
        {
            var i = numbers[position - 1];
            if (invalidEvery > 0 && position % invalidEvery == 0)
            {
                var kind = InvalidKinds[position / invalidEvery % InvalidKinds.Length];
                text.Append(kind.Line).Append('\n');
                rejections.Add(new ExpectedRejection(position, position, kind.Field, kind.Reason));
                continue;
            }

            var record = string.Create(
                CultureInfo.InvariantCulture,
                $"{{\"sensor_id\":\"{(sensor ?? DefaultSensor)(i)}\",\"sampled_at\":\"{DateTime.UnixEpoch.AddSeconds(i):yyyy-MM-ddTHH:mm:ssZ}\",\"value\":{i + valueOffset},\"note\":\"{(note ?? DefaultNote)(i)}\"}}");
            text.Append(record).Append('\n');
            valid.Add(record);
        }

        return new SensorPayload(text.ToString(), valid, rejections, numbers.Count);
    }

    /// <summary>
    /// Asserts, with the <see cref="InvariantChecker"/>, that job <paramref name="jobId"/> loaded this
    /// payload into an empty table exactly: every valid record once, every invalid one rejected.
    /// </summary>
    public async Task<JobResult> AssertLoadedExactlyAsync(IngestionTestHost host, string dataset, string jobId, CancellationToken cancellationToken)
    {
        await using var reference = await ReferenceTable.CreateAsync(host, dataset);
        await reference.ApplyJsonAsync(ValidRecords);
        return await InvariantChecker.AssertAsync(
            host,
            jobId,
            new JobExpectation
            {
                Dataset = dataset,
                Submitted = Records,
                Rejections = Rejections,
                State = Rejections.Count > 0 ? JobState.CompletedWithErrors : JobState.Completed,
                Inserted = ValidRecords.Count,
                Reference = reference,
            },
            cancellationToken);
    }

    private static string DefaultSensor(int i) => "s-" + (i % 50).ToString(CultureInfo.InvariantCulture);

    private static string DefaultNote(int i) => "n" + i.ToString(CultureInfo.InvariantCulture);
}
