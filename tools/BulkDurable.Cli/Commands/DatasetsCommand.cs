using System.CommandLine;
using BulkDurable.Cli.Output;
using BulkDurable.Ingestion.Catalog;

namespace BulkDurable.Cli.Commands;

/// <summary>
/// <c>bulkdurable datasets [--check]</c>: the catalog (datasets.json and BulkDurable__Datasets__*), and
/// with <c>--check</c> whether each table matches it. Needs PostgreSQL settings only with --check.
/// </summary>
internal static class DatasetsCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var check = new Option<bool>("--check") { Description = "Check every dataset's table in PostgreSQL (columns, types, unique index of the conflict key); exit code 1 if one does not match." };
        var command = new Command("datasets", "List the datasets of the catalog.") { check };
        context.SetAction(command, async (parseResult, cancellationToken) =>
        {
            var engine = context.CreateEngine(parseResult);
            await using (engine.ConfigureAwait(false))
            {
                var output = context.Environment.Out;
                var datasets = engine.Get<DatasetCatalog>().Datasets.ToList();
                var verifier = parseResult.GetValue(check) ? engine.Get<DatasetSchemaVerifier>() : null;
                var mismatches = 0;
                foreach (var dataset in datasets)
                {
                    Describe(output, dataset);
                    if (verifier is not null)
                    {
                        var problems = await verifier.FindProblemsAsync(dataset, cancellationToken).ConfigureAwait(false);
                        await output.WriteLineAsync(problems.Count == 0 ? "  table:       matches the catalog" : $"  table:       DOES NOT MATCH: {string.Join("; ", problems)}").ConfigureAwait(false);
                        mismatches += problems.Count > 0 ? 1 : 0;
                    }
                }

                if (datasets.Count == 0)
                {
                    await context.Environment.Error.WriteLineAsync("The catalog is empty: datasets.json was not found next to the executable and no BulkDurable__Datasets__* variable is set.").ConfigureAwait(false);
                }

                return mismatches == 0 ? ExitCodes.Success : ExitCodes.Failed;
            }
        });
        return command;
    }

    private static void Describe(TextWriter output, Dataset dataset)
    {
        output.WriteLine($"{dataset.Name} -> {dataset.Schema}.{dataset.Table}");
        output.WriteLine("  columns:     " + string.Join(", ", dataset.Columns.Select(Column)));
        output.WriteLine(dataset.ConflictKey.Count == 0
            ? "  conflict:    no key (every record is inserted)"
            : $"  conflict:    key ({string.Join(", ", dataset.ConflictKey.Select(c => c.Name))}), on conflict {dataset.OnConflict}");
        output.WriteLine($"  records:     at most {Text.Bytes(dataset.MaxRecordBytes)}{(dataset.IgnoreUnknownFields ? ", unknown fields ignored" : ", unknown fields rejected")}");
    }

    private static string Column(Column column) =>
        column.Name + (column.Field == column.Name ? "" : $" (field \"{column.Field}\")") + " " + column.Type.ToString().ToLowerInvariant() + (column.Nullable ? "" : " not null");
}
