using System.Text.RegularExpressions;
using BulkDurable.Testing;

namespace BulkDurable.Functions.Tests.Publishing;

/// <summary>The operations docs/openapi.yaml documents: route (below the <c>api</c> prefix) and method.</summary>
internal static partial class DocumentedApi
{
    public static IReadOnlyList<(string Route, string Method)> Operations { get; } = Read();

    private static List<(string Route, string Method)> Read()
    {
        var operations = new List<(string, string)>();
        string? path = null;
        var inPaths = false;
        foreach (var line in File.ReadLines(RepositoryPaths.Combine("docs", "openapi.yaml")))
        {
            if (line.Length > 0 && !char.IsWhiteSpace(line[0]))
            {
                inPaths = line == "paths:";
                path = null;
                continue;
            }

            if (!inPaths)
            {
                continue;
            }

            if (PathLine().Match(line) is { Success: true } pathMatch)
            {
                path = pathMatch.Groups[1].Value.TrimStart('/');
            }
            else if (path is not null && MethodLine().Match(line) is { Success: true } methodMatch)
            {
                operations.Add((path, methodMatch.Groups[1].Value));
            }
        }

        return operations;
    }

    [GeneratedRegex(@"^  (/\S*):\s*$")]
    private static partial Regex PathLine();

    [GeneratedRegex(@"^    (get|put|post|delete|patch|head|options):\s*$")]
    private static partial Regex MethodLine();
}
