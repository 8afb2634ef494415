using BulkDurable.Cli.Loading;
using BulkDurable.Cli.Output;
using BulkDurable.Cli.Progress;
using BulkDurable.Ingestion.Payloads;

namespace BulkDurable.Cli.Api;

/// <summary>
/// Sends a payload file to the API: as the request body up to <see cref="Submission.MaxBodyBytes"/>,
/// otherwise uploaded to an upload URL first and submitted by reference. Shows the bytes sent.
/// </summary>
internal sealed class PayloadSubmitter(JobsApiClient client, ProgressRenderer renderer)
{
    /// <summary>Submits the file and returns the accepted job.</summary>
    public async Task<SubmittedJob> SubmitAsync(Submission submission, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submission);
        var size = submission.File.Length;
        var total = Text.Bytes(size);
        var sent = new SynchronousProgress<long>(bytes => renderer.Show($"Sending: {Text.Bytes(bytes)} of {total}"));
        var file = FileHash.OpenSequential(submission.File.FullName);
        await using (file.ConfigureAwait(false))
        {
            try
            {
                if (size <= submission.MaxBodyBytes)
                {
                    renderer.Notice($"Submitting {submission.File.Name} ({total}) to dataset {submission.Dataset}…");
                    return await client.SubmitBodyAsync(
                        submission.Dataset, new ReadProgressStream(file, sent.Report), submission.Format, submission.Compression, submission.IdempotencyKey, cancellationToken).ConfigureAwait(false);
                }

                renderer.Notice($"{submission.File.Name} is {total}, more than --max-body-bytes: uploading it through an upload URL…");
                var ticket = await client.CreateUploadAsync(cancellationToken).ConfigureAwait(false);
                await PayloadUploader.UploadAsync(new Uri(ticket.UploadUrl), file, sent, cancellationToken).ConfigureAwait(false);
                renderer.Finish(null);
                renderer.Notice($"Uploaded {total} as upload {ticket.UploadId}; submitting the job…");
                return await client.SubmitUploadAsync(
                    submission.Dataset, ticket.UploadId, submission.Format, submission.Compression, submission.IdempotencyKey, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                renderer.Finish(null);
            }
        }
    }
}

/// <summary>What <c>bulkdurable submit</c> sends.</summary>
/// <param name="File">The payload file.</param>
/// <param name="Dataset">The dataset.</param>
/// <param name="Format">The payload format.</param>
/// <param name="Compression">How the file is compressed.</param>
/// <param name="IdempotencyKey">The Idempotency-Key, if any.</param>
/// <param name="MaxBodyBytes">Larger files go through an upload URL.</param>
internal sealed record Submission(FileInfo File, string Dataset, PayloadFormat Format, PayloadCompression Compression, string? IdempotencyKey, long MaxBodyBytes);
