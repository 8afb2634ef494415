using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using BulkDurable.Ingestion.Diagnostics;
using BulkDurable.Ingestion.Jobs;
using BulkDurable.Ingestion.Payloads;

namespace BulkDurable.Ingestion.Api;

/// <summary>
/// A job submission that points at a payload uploaded through an upload URL instead of carrying it:
/// <c>{ "uploadId": "...", "format": "ndjson|json|csv", "compression": "none|gzip" }</c>.
/// <c>format</c> defaults to <c>ndjson</c> and <c>compression</c> to <c>none</c>; other properties are ignored.
/// </summary>
/// <param name="UploadId">The id returned by <c>POST /api/uploads</c>.</param>
/// <param name="Format">The payload's record format.</param>
/// <param name="Compression">How the uploaded payload is compressed.</param>
public sealed record UploadReference(string UploadId, PayloadFormat Format, PayloadCompression Compression)
{
    /// <summary>Largest upload reference body read.</summary>
    public const int MaxBytes = 16 * 1024;

    /// <summary>Reads and parses an upload reference body of at most <see cref="MaxBytes"/> bytes.</summary>
    /// <returns>The reference, or a 400 problem.</returns>
    public static async Task<(UploadReference? Reference, ApiProblem? Problem)> ReadAsync(Stream body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var buffer = new byte[MaxBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0)
        {
            length += read;
        }

        if (length > MaxBytes)
        {
            return (null, ApiProblem.Malformed($"An upload reference is a small JSON object (at most {MaxBytes} bytes); to send a JSON array payload, start the body with '['."));
        }

        return TryParse(buffer.AsSpan(0, length), out var reference, out var problem) ? (reference, null) : (null, problem);
    }

    /// <summary>Parses an upload reference.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8Json, [NotNullWhen(true)] out UploadReference? reference, [NotNullWhen(false)] out ApiProblem? problem)
    {
        reference = null;
        string? uploadId = null, format = null, compression = null;
        try
        {
            var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                problem = ApiProblem.Malformed("An upload reference must be a JSON object.");
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                if (name is "uploadId" or "format" or "compression")
                {
                    if (reader.TokenType != JsonTokenType.String)
                    {
                        problem = ApiProblem.Malformed($"'{InputText.Show(name)}' must be a string.");
                        return false;
                    }

                    var value = reader.GetString();
                    if (name == "uploadId")
                    {
                        uploadId = value;
                    }
                    else if (name == "format")
                    {
                        format = value;
                    }
                    else
                    {
                        compression = value;
                    }
                }
                else
                {
                    reader.Skip();
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                problem = ApiProblem.Malformed("An upload reference must be a single JSON object.");
                return false;
            }
        }
        catch (JsonException ex)
        {
            problem = ApiProblem.Malformed($"The upload reference is not valid JSON: {ex.Message}");
            return false;
        }

        if (!JobIds.IsValid(uploadId))
        {
            problem = ApiProblem.Malformed("'uploadId' is required: the id returned by POST /api/uploads.");
            return false;
        }

        if (!TryParseFormat(format, out var parsedFormat))
        {
            problem = ApiProblem.Malformed($"'format' must be ndjson, json or csv, not '{InputText.Show(format)}'.");
            return false;
        }

        if (!TryParseCompression(compression, out var parsedCompression))
        {
            problem = ApiProblem.Malformed($"'compression' must be none or gzip, not '{InputText.Show(compression)}'.");
            return false;
        }

        reference = new UploadReference(uploadId!, parsedFormat, parsedCompression);
        problem = null;
        return true;
    }

    /// <summary>The reference as the request body that submits it (the names <see cref="TryParse"/> reads).</summary>
    public byte[] ToUtf8Json()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("uploadId", UploadId);
            writer.WriteString("format", Format.ToName());
            writer.WriteString("compression", Compression.ToName());
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static bool TryParseFormat(string? value, out PayloadFormat format)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            format = PayloadFormat.Ndjson;
            return true;
        }

        // Media types are accepted too (application/x-ndjson, text/csv, ...).
        return PayloadFormatNames.TryParse(value, out format) || PayloadFormats.TryFromContentType(value, out format);
    }

    private static bool TryParseCompression(string? value, out PayloadCompression compression)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Trim().Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            compression = PayloadCompression.None;
            return true;
        }

        return PayloadFormats.TryFromContentEncoding(value, out compression);
    }
}
