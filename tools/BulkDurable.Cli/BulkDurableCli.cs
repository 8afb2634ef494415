using System.CommandLine;
using System.CommandLine.Invocation;
using BulkDurable.Cli.Commands;

namespace BulkDurable.Cli;

/// <summary>The <c>bulkdurable</c> command tree and how it is invoked.</summary>
internal static class BulkDurableCli
{
    /// <summary>The executable's name, as shown in messages.</summary>
    public const string Name = "bulkdurable";

    /// <summary>Builds the command tree over an environment.</summary>
    public static RootCommand CreateRootCommand(CliEnvironment environment)
    {
        var context = new CliContext(environment);
        var root = new RootCommand("BulkDurable: load large batches of records into PostgreSQL exactly once, and drive the deployed API.")
        {
            LoadCommand.Create(context),
            StatusCommand.Create(context),
            FailedRecordsCommand.Create(context),
            SubmitCommand.Create(context),
            DatasetsCommand.Create(context),
            GenerateCommand.Create(context),
            MigrateCommand.Create(context),
        };
        root.Options.Add(context.Verbose);
        return root;
    }

    /// <summary>
    /// Parses and runs a command line. Parse errors are reported with exit code 2 (not the
    /// library's 1, which <c>bulkdurable</c> reserves for failed jobs).
    /// </summary>
    public static async Task<int> InvokeAsync(IReadOnlyList<string> args, CliEnvironment environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var parseResult = CreateRootCommand(environment).Parse(args);
        if (parseResult.Action is ParseErrorAction)
        {
            foreach (var error in parseResult.Errors)
            {
                await environment.Error.WriteLineAsync($"error: {error.Message}").ConfigureAwait(false);
            }

            var command = parseResult.CommandResult.Command;
            var path = command is RootCommand ? Name : $"{Name} {command.Name}";
            await environment.Error.WriteLineAsync($"Run '{path} --help' for usage.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        var invocation = new InvocationConfiguration
        {
            Output = environment.Out,
            Error = environment.Error,
            EnableDefaultExceptionHandler = false,
            // The process handles Ctrl-C itself (Program.cs): a load needs longer than the library's
            // grace period to finalize its job, and tests cancel through the token.
            ProcessTerminationTimeout = null,
        };
        return await parseResult.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
    }
}
