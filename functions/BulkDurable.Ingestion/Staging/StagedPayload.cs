namespace BulkDurable.Ingestion.Staging;

/// <summary>A payload stored in Blob Storage, as submitted (compressed or not).</summary>
/// <param name="BlobName">Where it is (<see cref="BlobLayout.Upload"/>).</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the bytes as submitted.</param>
/// <param name="Length">Length in bytes as submitted.</param>
/// <param name="ETag">The version the hash was taken of, for an upload (whose URL lets its client write it again until it expires).</param>
public sealed record StagedPayload(string BlobName, string Sha256, long Length, string? ETag = null);
