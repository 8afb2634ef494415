using System.IO.Compression;
using BulkDurable.Ingestion.Catalog;
using BulkDurable.Ingestion.Payloads;
using BulkDurable.Ingestion.Synthetic;

namespace BulkDurable.Cli.Tests.Infrastructure;

/// <summary>Payload files for tests: synthetic records of a dataset, optionally gzipped.</summary>
internal static class Payloads
{
    public static async Task<string> WriteAsync(string path, Dataset dataset, PayloadFormat format, long records, CancellationToken cancellationToken)
    {
        await using var file = File.Create(path);
        if (path.EndsWith(".gz", StringComparison.Ordinal))
        {
            await using var gzip = new GZipStream(file, CompressionLevel.Fastest);
            await new SyntheticRecordWriter(dataset, format).WriteAsync(gzip, records, cancellationToken: cancellationToken);
        }
        else
        {
            await new SyntheticRecordWriter(dataset, format).WriteAsync(file, records, cancellationToken: cancellationToken);
        }

        return path;
    }
}
