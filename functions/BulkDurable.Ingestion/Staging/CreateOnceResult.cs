namespace BulkDurable.Ingestion.Staging;

/// <summary>
/// The outcome of <see cref="IngestionBlobStore.WriteJsonIfAbsentAsync{T}"/>: the document the blob
/// holds, and whether this call wrote it (the first writer) or found it written by another.
/// </summary>
/// <typeparam name="T">The document type.</typeparam>
/// <param name="Value">The blob's content: the value written, or the one found.</param>
/// <param name="Created">Whether this call created the blob.</param>
public readonly record struct CreateOnceResult<T>(T Value, bool Created)
    where T : class;
