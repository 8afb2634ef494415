using System.IO.Compression;
using System.Text;
using System.Text.Json;
using BulkDurable.Ingestion.Payloads;
using BulkDurable.Testing;

namespace BulkDurable.Faults.Tests.Corpus;

/// <summary>
/// Fills a case's <see cref="ReferenceTable"/> with the records that must load: the payload minus
/// the expected rejections, split by this class (simple, format-by-format splitting that shares
/// nothing with the engine's scanners) and parsed by PostgreSQL; or, for payloads whose structure
/// is broken (an unclosed quote, a truncated array), the case's hand-written reference file.
/// </summary>
internal static class CorpusReference
{
    public static async Task FillAsync(ReferenceTable reference, CorpusCase corpusCase, PayloadFormat format, byte[] payload)
    {
        if (corpusCase.Reference is { } file)
        {
            var text = await File.ReadAllTextAsync(CorpusManifest.Path(file));
            await (file.EndsWith(".csv", StringComparison.Ordinal) ? reference.ApplyCsvAsync(text) : reference.ApplyNdjsonAsync(text));
            return;
        }

        var rejected = (corpusCase.Rejections ?? []).Select(r => r.RecordNumber).ToHashSet();
        var decoded = Encoding.UTF8.GetString(payload).TrimStart('\uFEFF');
        switch (format)
        {
            case PayloadFormat.Ndjson:
                await reference.ApplyJsonAsync(Keep(NdjsonRecords(decoded), rejected));
                break;
            case PayloadFormat.JsonArray:
                using (var document = JsonDocument.Parse(decoded, new JsonDocumentOptions { AllowTrailingCommas = true }))
                {
                    await reference.ApplyJsonAsync(Keep(document.RootElement.EnumerateArray().Select(e => e.GetRawText()).ToList(), rejected));
                }

                break;
            case PayloadFormat.Csv:
                var records = CsvRecords(decoded);
                if (records.Count > 0)
                {
                    await reference.ApplyCsvAsync(string.Join('\n', [records[0], .. Keep(records.Skip(1).ToList(), rejected)]) + "\n");
                }

                break;
        }
    }

    /// <summary>The payload as the test received it: gzip is decoded here with the framework's decoder.</summary>
    public static byte[] Decode(byte[] payload, PayloadCompression compression)
    {
        if (compression == PayloadCompression.None)
        {
            return payload;
        }

        using var gzip = new GZipStream(new MemoryStream(payload), CompressionMode.Decompress);
        using var output = new MemoryStream();
        gzip.CopyTo(output);
        return output.ToArray();
    }

    private static List<string> Keep(IReadOnlyList<string> records, HashSet<long> rejected) =>
        records.Where((_, i) => !rejected.Contains(i + 1)).ToList();

    private static List<string> NdjsonRecords(string text) =>
        text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => !string.IsNullOrWhiteSpace(l)).ToList();

    /// <summary>RFC 4180 records: a line break ends a record unless inside quotes; blank records are skipped.</summary>
    private static List<string> CsvRecords(string text)
    {
        var records = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        foreach (var c in text)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }

            if (c == '\n' && !quoted)
            {
                Add();
                continue;
            }

            current.Append(c);
        }

        Add();
        return records;

        void Add()
        {
            var record = current.ToString().TrimEnd('\r');
            if (!string.IsNullOrWhiteSpace(record))
            {
                records.Add(record);
            }

            current.Clear();
        }
    }
}
