using System.Security.Cryptography;
using BulkDurable.Ingestion.Streams;

namespace BulkDurable.Ingestion.Staging;

/// <summary>
/// A forward-only read stream that hashes (SHA-256) and counts what passes through it, and stops at
/// a size limit, so a payload is hashed while it is uploaded instead of being read twice.
/// </summary>
internal sealed class HashingReadStream(Stream inner, long maxBytes) : PassThroughReadStream(inner, leaveOpen: true)
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    /// <summary>The hash of everything read; call once the inner stream is exhausted.</summary>
    public string HashHex() => Convert.ToHexStringLower(_hash.GetHashAndReset());

    protected override void OnRead(ReadOnlySpan<byte> data)
    {
        if (BytesRead > maxBytes)
        {
            throw new PayloadTooLargeException(maxBytes);
        }

        _hash.AppendData(data);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
        }

        base.Dispose(disposing);
    }
}
