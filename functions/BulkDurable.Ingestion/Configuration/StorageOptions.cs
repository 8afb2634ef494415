using System.ComponentModel.DataAnnotations;

namespace BulkDurable.Ingestion.Configuration;

/// <summary>
/// Where payloads, manifests and results are kept (<c>BulkDurable:Storage</c>). Exactly one of
/// <see cref="ConnectionString"/> (Azurite, local) and <see cref="ServiceUri"/> (Azure, Entra ID) is set.
/// </summary>
public sealed class StorageOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string Section = "BulkDurable:Storage";

    /// <summary>A Blob Storage connection string.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The Blob service endpoint, used with <c>DefaultAzureCredential</c>.</summary>
    public Uri? ServiceUri { get; set; }

    /// <summary>The container holding everything BulkDurable stores.</summary>
    [Required]
    [RegularExpression("^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$", ErrorMessage = "Container must be a valid blob container name.")]
    public string Container { get; set; } = "bulkdurable";

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var hasConnectionString = !string.IsNullOrWhiteSpace(ConnectionString);
        if (hasConnectionString == (ServiceUri is not null))
        {
            yield return new ValidationResult(
                $"Set exactly one of {Section}:ConnectionString and {Section}:ServiceUri.",
                [nameof(ConnectionString), nameof(ServiceUri)]);
        }

        if (ServiceUri is { IsAbsoluteUri: false } || ServiceUri is { Scheme: not ("https" or "http") })
        {
            yield return new ValidationResult($"{Section}:ServiceUri must be an absolute http(s) URI.", [nameof(ServiceUri)]);
        }
    }
}
