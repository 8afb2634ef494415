using System.Text;
using System.Text.Unicode;
using BulkDurable.Ingestion.Catalog;
using BulkDurable.Ingestion.Diagnostics;
using BulkDurable.Ingestion.Payloads.Scanning;

namespace BulkDurable.Ingestion.Records;

/// <summary>
/// A CSV payload's header row, matched against the dataset: which column each field position fills.
/// Names match the dataset's fields exactly, as JSON property names do: case and spaces count
/// (RFC 4180 keeps spaces as part of a field), so <c> a</c> is not <c>a</c>. A name that would match
/// if trimmed or compared without case is refused with that said, even when the dataset ignores
/// unknown fields: skipping it would silently leave its column NULL.
/// </summary>
public sealed class CsvHeader
{
    private CsvHeader(IReadOnlyList<string> fields, int[] columnByField)
    {
        Fields = fields;
        ColumnByField = columnByField;
    }

    /// <summary>The header's field names, in order.</summary>
    public IReadOnlyList<string> Fields { get; }

    /// <summary>For each field position, the dataset column ordinal it fills, or -1 when ignored.</summary>
    internal int[] ColumnByField { get; }

    /// <summary>Rebuilds a header from its field names (as stored in a job manifest).</summary>
    public static CsvHeader FromFields(IReadOnlyList<string> fields, Dataset dataset)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(dataset);
        return TryMatch(fields, dataset, line: 1, out var header, out var problem)
            ? header
            : throw new InvalidOperationException(problem.Message);
    }

    /// <summary>Parses and checks a header row; a mismatch is a fatal payload problem.</summary>
    internal static bool TryParse(ReadOnlySpan<byte> record, long line, Dataset dataset, out CsvHeader header, out PayloadProblem problem)
    {
        header = null!;
        var fields = new List<string>();
        var reader = new CsvFields(record);
        while (reader.TryNext(out var field))
        {
            var text = field.HasEscapedQuotes ? Encoding.UTF8.GetString(field.Value).Replace("\"\"", "\"", StringComparison.Ordinal) : null;
            if (text is null)
            {
                if (Utf8.IsValid(field.Value))
                {
                    text = Encoding.UTF8.GetString(field.Value);
                }
                else
                {
                    problem = new PayloadProblem(line, $"CSV header: field {fields.Count + 1} is not valid UTF-8", IsFatal: true);
                    return false;
                }
            }

            if (!field.Quoted && field.Value.Contains((byte)'\r'))
            {
                // A CR-only file is one long line: its "header" runs into the records.
                problem = new PayloadProblem(
                    line,
                    $"CSV header: field {fields.Count + 1} ('{InputText.Show(text)}') holds a carriage return (\\r) that does not end the line: the payload seems to use CR-only line endings; end lines with LF or CRLF",
                    IsFatal: true);
                return false;
            }

            fields.Add(text);
        }

        if (reader.Error is not null)
        {
            problem = new PayloadProblem(line, "CSV header: " + reader.Error, IsFatal: true);
            return false;
        }

        return TryMatch(fields, dataset, line, out header, out problem);
    }

    private static bool TryMatch(IReadOnlyList<string> fields, Dataset dataset, long line, out CsvHeader header, out PayloadProblem problem)
    {
        header = null!;
        var columnByField = new int[fields.Count];
        var used = new bool[dataset.Columns.Count];
        for (var i = 0; i < fields.Count; i++)
        {
            if (!dataset.TryGetColumnByField(fields[i], out var column))
            {
                var nearMiss = NearMiss(fields[i], dataset);
                if (nearMiss is not null || !dataset.IgnoreUnknownFields)
                {
                    problem = Mismatch(line, $"column {i + 1} '{InputText.Show(fields[i])}' is not a field of dataset '{dataset.Name}'{nearMiss} (expected: {string.Join(", ", dataset.Columns.Select(c => c.Field))})");
                    return false;
                }

                columnByField[i] = -1;
                continue;
            }

            if (used[column.Ordinal])
            {
                problem = Mismatch(line, $"column '{column.Field}' appears twice");
                return false;
            }

            used[column.Ordinal] = true;
            columnByField[i] = column.Ordinal;
        }

        // A column the header leaves out is NULL in every record: refused here, before anything is
        // written, when the column is NOT NULL.
        var missing = dataset.Columns.Where(c => !c.Nullable && !used[c.Ordinal]).Select(c => c.Field).ToList();
        if (missing.Count > 0)
        {
            problem = Mismatch(line, $"required column{(missing.Count > 1 ? "s" : "")} missing: {string.Join(", ", missing)} (NOT NULL in the catalog, and a column the header leaves out would be NULL in every record)");
            return false;
        }

        header = new CsvHeader(fields.ToArray(), columnByField);
        problem = null!;
        return true;
    }

    /// <summary>Why a name that is not a field looks like one (spaces around it, another case), or <see langword="null"/>.</summary>
    private static string? NearMiss(string name, Dataset dataset)
    {
        var trimmed = name.Trim();
        if (trimmed.Length != name.Length && dataset.TryGetColumnByField(trimmed, out var spaced))
        {
            return $": names are matched exactly and this one has spaces around '{spaced.Field}'";
        }

        var other = dataset.Columns.FirstOrDefault(c => string.Equals(c.Field, trimmed, StringComparison.OrdinalIgnoreCase));
        return other is null ? null : $": names are case-sensitive; the field is '{other.Field}'";
    }

    private static PayloadProblem Mismatch(long line, string message) => new(line, "CSV header mismatch: " + message, IsFatal: true);
}
