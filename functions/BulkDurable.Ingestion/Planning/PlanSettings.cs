using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using BulkDurable.Ingestion.Jobs;

namespace BulkDurable.Ingestion.Planning;

/// <summary>
/// What decides where a payload's chunk boundaries fall. Together with the payload they determine
/// the plan completely: planning the same job twice gives the same chunks, which is what lets a
/// chunk be loaded before its plan is written down and still never be loaded twice.
/// </summary>
/// <param name="ChunkRecords">Records per chunk.</param>
/// <param name="ChunkBytes">Bytes that close a chunk early.</param>
/// <param name="MaxRecordBytes">The dataset's record limit (records beyond it are rejected while planning).</param>
public sealed record PlanSettings(int ChunkRecords, int ChunkBytes, int MaxRecordBytes)
{
    /// <summary>Bumped whenever the scanners' or the chunker's rules change where boundaries fall.</summary>
    public const int PlannerVersion = 1;

    /// <summary>
    /// The plan's identity: a hash of the job's payload and these settings. Ledger rows carry it,
    /// so a chunk index is only ever read against the plan it was made by.
    /// </summary>
    public string PlanIdFor(JobDescriptor job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var identity = string.Join(
            '\n',
            PlannerVersion.ToString(CultureInfo.InvariantCulture),
            job.JobId,
            job.Dataset,
            job.Format,
            job.Compression,
            job.PayloadSha256.ToLowerInvariant(),
            ChunkRecords.ToString(CultureInfo.InvariantCulture),
            ChunkBytes.ToString(CultureInfo.InvariantCulture),
            MaxRecordBytes.ToString(CultureInfo.InvariantCulture));
        return "p" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)).AsSpan(0, 12));
    }
}
