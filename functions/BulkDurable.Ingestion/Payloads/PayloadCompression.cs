namespace BulkDurable.Ingestion.Payloads;

/// <summary>How a payload is compressed as submitted.</summary>
public enum PayloadCompression
{
    /// <summary>Not compressed.</summary>
    None,

    /// <summary>gzip (<c>Content-Encoding: gzip</c> or a <c>.gz</c> file).</summary>
    Gzip,
}
