using System.CommandLine;
using System.IO.Compression;
using BulkDurable.Cli.Output;
using BulkDurable.Ingestion.Catalog;
using BulkDurable.Ingestion.Payloads;
using BulkDurable.Ingestion.Synthetic;

namespace BulkDurable.Cli.Commands;

/// <summary>
/// <c>bulkdurable generate</c>: deterministic synthetic records for a dataset (the engine's
/// <see cref="SyntheticRecordWriter"/>), to standard output or a file; a <c>.gz</c> file is gzipped.
/// Needs only the catalog, no server.
/// </summary>
internal static class GenerateCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var dataset = CommonOptions.Dataset();
        var records = new Option<long>("--records", "-n") { Description = "How many records to write.", Required = true };
        var format = CommonOptions.Format("The format; by default from the output file's name, else ndjson.");
        var output = new Option<string>("--output", "-o") { Description = "The file to write (a .gz name is gzipped); standard output when absent or -." };
        var seed = new Option<int>("--seed") { Description = "Seed of the non-key values (keys depend only on the record's position).", DefaultValueFactory = _ => 42 };
        records.Validators.Add(CommonOptions.Range<long>("--records", 0, long.MaxValue));

        var command = new Command("generate", "Write synthetic records for a dataset (demos, benchmarks).") { dataset, records, format, output, seed };
        context.SetAction(command, async (parseResult, cancellationToken) =>
        {
            var path = parseResult.GetValue(output) is { Length: > 0 } given && given != "-" ? given : null;
            var named = PayloadFormats.TryFromFileName(path ?? "", out var namedFormat, out var compression);
            var payloadFormat = parseResult.GetValue(format) is { } name ? PayloadFormatNames.Parse(name) : named ? namedFormat : PayloadFormat.Ndjson;
            var count = parseResult.GetValue(records);

            var engine = context.CreateEngine(parseResult);
            await using (engine.ConfigureAwait(false))
            {
                var writer = new SyntheticRecordWriter(engine.Get<DatasetCatalog>().Get(parseResult.GetRequiredValue(dataset)), payloadFormat, parseResult.GetValue(seed));
                if (path is null)
                {
                    await context.Environment.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
                    await writer.WriteAsync(context.Environment.StandardOutput, count, cancellationToken: cancellationToken).ConfigureAwait(false);
                    return ExitCodes.Success;
                }

                var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20, FileOptions.Asynchronous);
                await using (file.ConfigureAwait(false))
                {
                    var target = compression == PayloadCompression.Gzip ? new GZipStream(file, CompressionLevel.Fastest, leaveOpen: true) : (Stream)file;
                    await using (target.ConfigureAwait(false))
                    {
                        await writer.WriteAsync(target, count, cancellationToken: cancellationToken).ConfigureAwait(false);
                    }
                }

                await context.Environment.Error.WriteLineAsync(
                    $"Wrote {Text.Count(count)} {payloadFormat.ToName()} records{(compression == PayloadCompression.Gzip ? " (gzip)" : "")} to {path} ({Text.Bytes(new FileInfo(path).Length)}).").ConfigureAwait(false);
                return ExitCodes.Success;
            }
        });
        return command;
    }
}
