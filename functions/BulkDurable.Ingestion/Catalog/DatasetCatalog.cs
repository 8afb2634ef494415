using System.Collections.Frozen;
using System.Text.RegularExpressions;
using BulkDurable.Ingestion.Diagnostics;

namespace BulkDurable.Ingestion.Catalog;

/// <summary>
/// The datasets this deployment may write. A dataset that is not in the catalog cannot be written,
/// whatever a client sends; every identifier in it has been validated.
/// </summary>
public sealed partial class DatasetCatalog
{
    private readonly FrozenDictionary<string, Dataset> _datasets;

    private DatasetCatalog(FrozenDictionary<string, Dataset> datasets) => _datasets = datasets;

    /// <summary>All datasets, ordered by name.</summary>
    public IEnumerable<Dataset> Datasets => _datasets.Values.OrderBy(d => d.Name, StringComparer.Ordinal);

    /// <summary>Finds a dataset by the name a client gave. Unknown or malformed names are not found.</summary>
    public bool TryGet(string? name, out Dataset dataset)
    {
        if (name is not null && _datasets.TryGetValue(name, out var found))
        {
            dataset = found;
            return true;
        }

        dataset = null!;
        return false;
    }

    /// <summary>Returns a dataset by name or throws <see cref="UnknownDatasetException"/>.</summary>
    public Dataset Get(string name) => TryGet(name, out var dataset) ? dataset : throw new UnknownDatasetException(name);

    /// <summary>Validates the configured catalog and builds it; throws listing every problem found.</summary>
    /// <exception cref="InvalidOperationException">The configuration is invalid.</exception>
    public static DatasetCatalog Create(DatasetCatalogOptions options)
    {
        var errors = Validate(options, out var catalog);
        return errors.Count == 0
            ? catalog!
            : throw new InvalidOperationException("Invalid dataset catalog: " + string.Join(" ", errors));
    }

    /// <summary>Validates the configured catalog; returns the problems found (empty when valid).</summary>
    public static IReadOnlyList<string> Validate(DatasetCatalogOptions options, out DatasetCatalog? catalog)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        var datasets = new Dictionary<string, Dataset>(StringComparer.Ordinal);
        foreach (var (name, declared) in options.Datasets.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            var dataset = ValidateDataset(name, declared, errors);
            if (dataset is not null)
            {
                datasets.Add(name, dataset);
            }
        }

        catalog = errors.Count == 0 ? new DatasetCatalog(datasets.ToFrozenDictionary(StringComparer.Ordinal)) : null;
        return errors;
    }

    private static Dataset? ValidateDataset(string name, DatasetOptions declared, List<string> errors)
    {
        var prefix = $"BulkDurable:Datasets:{name}:";
        var before = errors.Count;
        if (!DatasetName().IsMatch(name))
        {
            errors.Add($"Dataset name '{Quoted(name)}' must be 1-63 lower-case letters, digits or underscores, starting with a letter.");
        }

        var tableParts = (declared.Table ?? "").Split('.');
        if (tableParts.Length != 2 || !SqlIdentifier.IsValid(tableParts[0]) || !SqlIdentifier.IsValid(tableParts[1]))
        {
            errors.Add($"{prefix}Table '{Quoted(declared.Table)}' must be 'schema.table' with lower-case identifiers.");
        }

        if (declared.Columns.Count == 0)
        {
            errors.Add($"{prefix}Columns must list at least one column.");
        }

        var columns = new List<Column>(declared.Columns.Count);
        var names = new HashSet<string>(StringComparer.Ordinal);
        var fields = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < declared.Columns.Count; i++)
        {
            var c = declared.Columns[i];
            var field = string.IsNullOrEmpty(c.Field) ? c.Name : c.Field;
            if (!SqlIdentifier.IsValid(c.Name))
            {
                errors.Add($"{prefix}Columns:{i}:Name '{Quoted(c.Name)}' must be a lower-case identifier.");
            }
            else if (!names.Add(c.Name))
            {
                errors.Add($"{prefix}Columns:{i}:Name '{Quoted(c.Name)}' is declared twice.");
            }

            if (field.Length > 256 || field.Any(char.IsControl))
            {
                errors.Add($"{prefix}Columns:{i}:Field must be at most 256 printable characters.");
            }
            else if (!fields.Add(field))
            {
                errors.Add($"{prefix}Columns:{i}:Field '{Quoted(field)}' is used by two columns.");
            }

            if (!Enum.IsDefined(c.Type))
            {
                errors.Add($"{prefix}Columns:{i}:Type is not a known column type.");
            }

            columns.Add(new Column(i, c.Name, field, c.Type, c.Nullable));
        }

        var key = new List<Column>();
        foreach (var keyName in declared.ConflictKey)
        {
            var column = columns.FirstOrDefault(c => c.Name == keyName);
            if (column is null)
            {
                errors.Add($"{prefix}ConflictKey names '{Quoted(keyName)}', which is not a declared column.");
            }
            else if (column.Nullable)
            {
                errors.Add($"{prefix}ConflictKey column '{keyName}' must be declared with Nullable: false.");
            }
            else if (key.Contains(column))
            {
                errors.Add($"{prefix}ConflictKey names '{Quoted(keyName)}' twice.");
            }
            else
            {
                key.Add(column);
            }
        }

        if (declared.OnConflict is ConflictAction.Update or ConflictAction.Reject && declared.ConflictKey.Count == 0)
        {
            errors.Add($"{prefix}OnConflict '{declared.OnConflict}' needs a ConflictKey.");
        }

        if (declared.OnConflict == ConflictAction.Update && key.Count == columns.Count && key.Count > 0)
        {
            errors.Add($"{prefix}OnConflict 'Update' needs at least one column outside the ConflictKey.");
        }

        if (!Enum.IsDefined(declared.OnConflict))
        {
            errors.Add($"{prefix}OnConflict must be Ignore, Update or Reject.");
        }

        if (declared.MaxRecordBytes is < Dataset.MinMaxRecordBytes or > Dataset.MaxMaxRecordBytes)
        {
            errors.Add($"{prefix}MaxRecordBytes must be between {Dataset.MinMaxRecordBytes} and {Dataset.MaxMaxRecordBytes}.");
        }

        return errors.Count > before
            ? null
            : new Dataset(name, tableParts[0], tableParts[1], columns, key, declared.OnConflict, declared.MaxRecordBytes, declared.IgnoreUnknownFields);
    }

    /// <summary>A configured name as a message quotes it; long enough for any valid name or field.</summary>
    private static string Quoted(string? name) => InputText.Show(name, 256);

    [GeneratedRegex("^[a-z][a-z0-9_]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex DatasetName();
}
