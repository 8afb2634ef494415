using System.Diagnostics.CodeAnalysis;
using BulkDurable.Ingestion.Api;
using BulkDurable.Ingestion.Payloads;

namespace BulkDurable.Functions.Http;

/// <summary>
/// How the body of <c>POST /api/datasets/{dataset}/jobs</c> is to be read, decided from its
/// <c>Content-Type</c> and <c>Content-Encoding</c> headers.
/// </summary>
/// <param name="Format">The record format the body is declared to be in.</param>
/// <param name="Compression">How the body is compressed.</param>
public sealed record SubmissionBody(PayloadFormat Format, PayloadCompression Compression)
{
    /// <summary>
    /// Whether the body may be an upload reference (<see cref="UploadReference"/>) instead of a payload:
    /// an uncompressed <c>application/json</c> body whose first significant character is <c>{</c>. A JSON
    /// array payload starts with <c>[</c>, so the two never collide.
    /// </summary>
    public bool MayBeUploadReference => Format == PayloadFormat.JsonArray && Compression == PayloadCompression.None;

    /// <summary>Reads the headers; a missing or unsupported media type or encoding is a 415.</summary>
    public static bool TryFromHeaders(
        string? contentType,
        string? contentEncoding,
        [NotNullWhen(true)] out SubmissionBody? body,
        [NotNullWhen(false)] out ApiProblem? problem)
    {
        if (!PayloadFormats.TryFromContentType(contentType, out var format)
            || !PayloadFormats.TryFromContentEncoding(contentEncoding, out var compression))
        {
            body = null;
            problem = ApiProblem.UnsupportedMediaType(contentType, contentEncoding);
            return false;
        }

        body = new SubmissionBody(format, compression);
        problem = null;
        return true;
    }
}
