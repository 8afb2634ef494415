using System.ComponentModel.DataAnnotations;

namespace BulkDurable.Functions.Admission;

/// <summary>
/// The service's published limits (<c>BulkDurable:Admission</c>), checked by the starter before a
/// payload is staged; beyond them the answer is <c>429</c> with <c>Retry-After</c>. Chunk loads are
/// bounded by the host (each instance runs at most <c>maxConcurrentActivityFunctions</c>, the platform
/// at most <c>maximumInstanceCount</c> instances; docs/deploy.md derives both from PostgreSQL's
/// connection budget); these limits bound the jobs that share them.
/// </summary>
public sealed class AdmissionOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "BulkDurable:Admission";

    /// <summary>Jobs running (pending, running or suspended) at once, all datasets together.</summary>
    [Range(1, 10_000)]
    public int MaxActiveJobs { get; set; } = 50;

    /// <summary>Jobs running at once into one dataset.</summary>
    [Range(1, 10_000)]
    public int MaxActiveJobsPerDataset { get; set; } = 20;

    /// <summary>Submissions one caller may make per minute (a replayed submission counts too: it is staged as well).</summary>
    [Range(1, 100_000)]
    public int MaxSubmissionsPerCallerPerMinute { get; set; } = 120;
}
