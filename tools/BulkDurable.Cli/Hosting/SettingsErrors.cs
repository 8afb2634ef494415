using System.Text;
using System.Text.RegularExpressions;
using BulkDurable.Ingestion.Catalog;
using BulkDurable.Ingestion.Configuration;
using Microsoft.Extensions.Options;

namespace BulkDurable.Cli.Hosting;

/// <summary>
/// Turns options validation failures into one message that names each setting both as a
/// configuration key and as the environment variable that sets it.
/// </summary>
internal static partial class SettingsErrors
{
    private static readonly Dictionary<Type, string> Sections = new()
    {
        [typeof(StorageOptions)] = StorageOptions.Section,
        [typeof(PostgresOptions)] = PostgresOptions.Section,
        [typeof(IngestionOptions)] = IngestionOptions.Section,
        [typeof(OrchestrationOptions)] = OrchestrationOptions.Section,
        [typeof(DatasetCatalogOptions)] = "BulkDurable:Datasets",
    };

    /// <summary>The message for the given failures.</summary>
    public static string Describe(IReadOnlyList<OptionsValidationException> failures)
    {
        var message = new StringBuilder("missing or invalid settings (see docs/configuration.md):");
        foreach (var exception in failures)
        {
            foreach (var failure in exception.Failures)
            {
                var keys = Keys(failure, exception.OptionsType);
                message.Append("\n  - ").Append(Reason(failure));
                if (keys.Count > 0)
                {
                    message.Append(keys.Count == 1 ? " Environment variable: " : " Environment variables: ")
                        .AppendJoin(", ", keys.Select(ToEnvironmentVariable));
                }
            }
        }

        return message.ToString();
    }

    /// <summary>The environment variable of a configuration key (<c>:</c> becomes <c>__</c>).</summary>
    public static string ToEnvironmentVariable(string key) => key.Replace(":", "__", StringComparison.Ordinal);

    // "DataAnnotation validation failed for 'X' members: 'Y' with the error: 'Z'." says Z in many words.
    private static string Reason(string failure) =>
        ErrorPattern().Match(failure) is { Success: true } match ? match.Groups[1].Value : failure.Trim();

    private static List<string> Keys(string failure, Type optionsType)
    {
        var keys = KeyPattern().Matches(failure).Select(m => m.Value).Distinct(StringComparer.Ordinal).ToList();
        if (keys.Count == 0 && Sections.TryGetValue(optionsType, out var section))
        {
            // Data annotation failures name the property: "... members: 'ChunkRecords' with the error: ...".
            keys.AddRange(MemberPattern().Matches(failure)
                .SelectMany(m => m.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                .Select(member => $"{section}:{member.Replace('.', ':')}"));
        }

        return keys;
    }

    [GeneratedRegex(@"BulkDurable(?::[A-Za-z0-9_]+)+", RegexOptions.CultureInvariant)]
    private static partial Regex KeyPattern();

    [GeneratedRegex(@"with the error: '(.*)'\.?\s*$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex ErrorPattern();

    [GeneratedRegex(@"'([A-Za-z0-9_.,]+)' with the error", RegexOptions.CultureInvariant)]
    private static partial Regex MemberPattern();
}
