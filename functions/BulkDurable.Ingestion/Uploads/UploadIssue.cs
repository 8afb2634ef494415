namespace BulkDurable.Ingestion.Uploads;

/// <summary>Who an upload URL was issued to, kept beside the upload (<c>uploads/{uploadId}.issued.json</c>).</summary>
/// <param name="Caller">The caller's id; null for the anonymous caller.</param>
/// <param name="ExpiresAt">When the URL stops working.</param>
public sealed record UploadIssue(string? Caller, DateTimeOffset ExpiresAt);
