using System.Text.RegularExpressions;

namespace BulkDurable.Ingestion.Catalog;

/// <summary>
/// SQL identifiers come only from configuration and must match a conservative pattern; they are
/// quoted wherever they appear in SQL all the same.
/// </summary>
public static partial class SqlIdentifier
{
    /// <summary>PostgreSQL's identifier length limit (NAMEDATALEN - 1).</summary>
    public const int MaxLength = 63;

    /// <summary>Whether <paramref name="name"/> is a lower-case identifier: a letter or underscore, then letters, digits or underscores.</summary>
    public static bool IsValid(string? name) => name is { Length: > 0 and <= MaxLength } && Pattern().IsMatch(name);

    /// <summary>Quotes an identifier for SQL, doubling embedded quotes.</summary>
    public static string Quote(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
