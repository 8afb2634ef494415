using System.ComponentModel.DataAnnotations;

namespace BulkDurable.Ingestion.Api;

/// <summary>Limits of the HTTP API (<c>BulkDurable:Api</c>).</summary>
public sealed class ApiOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "BulkDurable:Api";

    /// <summary>
    /// Largest payload accepted in a request body; larger ones go through an upload URL. The Functions
    /// host has its own limit (<c>FUNCTIONS_REQUEST_BODY_SIZE_LIMIT</c>, 100 MiB by default), so raising
    /// this one alone does not let larger bodies through.
    /// </summary>
    [Range(1L, long.MaxValue)]
    public long MaxRequestBodyBytes { get; set; } = 100L * 1024 * 1024;

    /// <summary>
    /// Which built-in Durable management URLs a <c>202</c> hands out (<see cref="ManagementLinks"/>).
    /// In Azure each carries the task hub's system key, which opens the whole Durable HTTP API.
    /// </summary>
    public ManagementLinks ManagementLinks { get; set; } = ManagementLinks.Auto;

    /// <summary>How long an upload URL stays valid (a user delegation SAS lives at most seven days).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan UploadSasLifetime { get; set; } = TimeSpan.FromMinutes(15);
}
