namespace BulkDurable.Ingestion.Staging;

/// <summary>A payload stored in Blob Storage, as submitted (compressed or not).</summary>
/// <param name="BlobName">Where it is (<see cref="BlobLayout.Upload"/>).</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the bytes as submitted.</param>
/// <param name="Length">Length in bytes as submitted.</param>
public sealed record StagedPayload(string BlobName, string Sha256, long Length);
