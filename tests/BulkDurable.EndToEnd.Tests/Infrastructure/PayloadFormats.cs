using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using BulkDurable.Testing;

namespace BulkDurable.EndToEnd.Tests.Infrastructure;

/// <summary>A <see cref="SensorPayload"/> (valid records only) in each format the API takes.</summary>
public static class PayloadFormats
{
    /// <summary>The payload's records as <paramref name="format"/> (<c>ndjson</c>, <c>json</c> or <c>csv</c>), gzip-compressed when asked.</summary>
    public static (byte[] Body, string ContentType) Render(SensorPayload payload, string format, bool gzip)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var text = format switch
        {
            "ndjson" => payload.Text,
            "json" => "[" + string.Join(",\n", payload.ValidRecords) + "]",
            "csv" => Csv(payload.ValidRecords),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "ndjson, json or csv"),
        };
        var contentType = format switch { "ndjson" => "application/x-ndjson", "json" => "application/json", _ => "text/csv" };
        var bytes = Encoding.UTF8.GetBytes(text);
        return (gzip ? Gzip(bytes) : bytes, contentType);
    }

    public static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var zip = new GZipStream(output, CompressionLevel.Fastest))
        {
            zip.Write(bytes);
        }

        return output.ToArray();
    }

    private static string Csv(IEnumerable<string> records)
    {
        var csv = new StringBuilder("sensor_id,sampled_at,value,note\n");
        foreach (var record in records)
        {
            using var document = JsonDocument.Parse(record);
            var r = document.RootElement;
            csv.Append(CultureInfo.InvariantCulture, $"{r.GetProperty("sensor_id").GetString()},{r.GetProperty("sampled_at").GetString()},{r.GetProperty("value").GetRawText()},{r.GetProperty("note").GetString()}\n");
        }

        return csv.ToString();
    }
}
