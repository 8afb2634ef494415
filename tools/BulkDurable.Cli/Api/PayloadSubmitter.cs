using BulkDurable.Cli.Loading;
using BulkDurable.Cli.Output;
using BulkDurable.Cli.Progress;
using BulkDurable.Ingestion.Payloads;

namespace BulkDurable.Cli.Api;

/// <summary>
/// Sends a payload file to the API: as the request body up to <see cref="Submission.MaxBodyBytes"/>,
/// otherwise uploaded to an upload URL first and submitted by reference. Shows the bytes sent.
/// </summary>
internal sealed class PayloadSubmitter(JobsApiClient client, ProgressRenderer renderer, TimeProvider timeProvider)
{
    /// <summary>Answers "retry later" (429, 503) tolerated in a row before giving up, as when polling.</summary>
    public const int MaxThrottledSubmissions = JobWatcher.MaxThrottledPolls;

    /// <summary>
    /// Submits the file and returns the accepted job. When the API asks to retry later (its limits are
    /// reached: 429 or 503), the submission waits what <c>Retry-After</c> says and is sent again.
    /// </summary>
    public async Task<SubmittedJob> SubmitAsync(Submission submission, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submission);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await SubmitOnceAsync(submission, cancellationToken).ConfigureAwait(false);
            }
            catch (ApiProblemException ex) when (ex.IsThrottling && attempt < MaxThrottledSubmissions)
            {
                var delay = ex.RetryAfter ?? RetryAfter.Default;
                renderer.Notice($"The API is busy ({ex.Message}); submitting again in {Text.Duration(delay)}…");
                await Task.Delay(delay, timeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<SubmittedJob> SubmitOnceAsync(Submission submission, CancellationToken cancellationToken)
    {
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
                await PayloadUploader.UploadAsync(ticket.UploadUrl, file, sent, cancellationToken).ConfigureAwait(false);
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
