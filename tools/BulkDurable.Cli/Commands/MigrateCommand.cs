using System.CommandLine;
using BulkDurable.Ingestion.Catalog;
using BulkDurable.Ingestion.Diagnostics;
using BulkDurable.Ingestion.Schema;
using Npgsql;

namespace BulkDurable.Cli.Commands;

/// <summary>
/// <c>bulkdurable migrate [--grant-to ROLE]</c>: applies the engine's embedded migrations and, with
/// <c>--grant-to</c>, grants a role what the app needs (<see cref="SchemaGrants"/>). Needs PostgreSQL
/// settings only.
/// </summary>
internal static class MigrateCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var grantTo = new Option<string>("--grant-to")
        {
            Description = "After migrating, grant this PostgreSQL role (e.g. the app's managed identity) what the app needs on the ledger and on every catalog dataset's table.",
            HelpName = "ROLE",
        };
        grantTo.Validators.Add(result =>
        {
            if (!SchemaGrants.IsValidRoleName(result.GetValueOrDefault<string>()))
            {
                result.AddError($"--grant-to: '{InputText.Show(result.GetValueOrDefault<string>())}' is not a valid role name: 1-63 letters, digits, spaces or _ . @ # - (starting with a letter, digit or underscore).");
            }
        });

        var command = new Command("migrate", "Apply the database migrations (the ledger and the shipped datasets' tables).") { grantTo };
        context.SetAction(command, async (parseResult, cancellationToken) =>
        {
            var output = context.Environment.Out;
            var engine = context.CreateEngine(parseResult);
            await using (engine.ConfigureAwait(false))
            {
                var applied = await engine.Get<SchemaMigrator>().MigrateAsync(cancellationToken).ConfigureAwait(false);
                foreach (var migration in applied)
                {
                    await output.WriteLineAsync($"Applied migration {migration.Version:0000} {migration.Name}").ConfigureAwait(false);
                }

                await output.WriteLineAsync($"Schema is up to date at version {Migration.Embedded.Count}.").ConfigureAwait(false);
                if (parseResult.GetValue(grantTo) is not { } role)
                {
                    return ExitCodes.Success;
                }

                var grants = new SchemaGrants(engine.Get<NpgsqlDataSource>(), engine.Get<DatasetCatalog>());
                IReadOnlyList<string> statements;
                try
                {
                    statements = await grants.GrantAsync(role, cancellationToken).ConfigureAwait(false);
                }
                catch (ArgumentException ex)
                {
                    throw CliException.Usage(ex.Message.Replace($" (Parameter '{ex.ParamName}')", "", StringComparison.Ordinal));
                }

                foreach (var statement in statements)
                {
                    await output.WriteLineAsync(statement).ConfigureAwait(false);
                }

                await output.WriteLineAsync($"Granted role '{role}' what the app needs ({statements.Count} statements).").ConfigureAwait(false);
                return ExitCodes.Success;
            }
        });
        return command;
    }
}
