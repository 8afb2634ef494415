using System.CommandLine.Parsing;
using System.CommandLine;
using System.Globalization;
using BulkDurable.Ingestion.Payloads;

namespace BulkDurable.Cli.Commands;

/// <summary>Options several commands declare the same way.</summary>
internal static class CommonOptions
{
    /// <summary><c>--dataset NAME</c>, required.</summary>
    public static Option<string> Dataset() => new("--dataset", "-d")
    {
        Description = "The dataset (a name from the catalog, see 'bulkdurable datasets').",
        Required = true,
    };

    /// <summary><c>--format ndjson|json|csv</c>.</summary>
    public static Option<string> Format(string description)
    {
        var option = new Option<string>("--format", "-f") { Description = description };
        option.AcceptOnlyFromAmong(PayloadFormatNames.All);
        return option;
    }

    /// <summary><c>--json</c>: machine-readable output on standard output.</summary>
    public static Option<bool> Json(string description) => new("--json") { Description = description };

    /// <summary>A validator accepting values of an option within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static Action<OptionResult> Range<T>(string name, T min, T max)
        where T : struct, IComparable<T>, IParsable<T> =>
        result =>
        {
            // Reads the token itself: a value that does not parse has its own error already, and
            // GetValueOrDefault would throw on it.
            if (result.Tokens is [.., var token]
                && T.TryParse(token.Value, CultureInfo.InvariantCulture, out var value)
                && (value.CompareTo(min) < 0 || value.CompareTo(max) > 0))
            {
                result.AddError($"{name} must be between {min} and {max}.");
            }
        };
}
