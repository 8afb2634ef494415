using System.ComponentModel.DataAnnotations;

namespace BulkDurable.Functions.Retention;

/// <summary>
/// How long the task hub keeps what a job leaves in it (<c>BulkDurable:Retention</c>): after
/// <see cref="JobHistory"/>, <see cref="JobHistoryPurge"/> removes finished orchestrations' history and
/// idle entities' state. Blobs age out by the storage account's lifecycle policy (docs/deploy.md);
/// keep the two windows equal so a job's status and its files go together.
/// </summary>
public sealed class RetentionOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "BulkDurable:Retention";

    /// <summary>How long a finished job's Durable history and an idle entity's state are kept.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "3650.00:00:00")]
    public TimeSpan JobHistory { get; set; } = TimeSpan.FromDays(30);
}
