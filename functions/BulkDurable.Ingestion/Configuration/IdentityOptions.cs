namespace BulkDurable.Ingestion.Configuration;

/// <summary>Which Entra identity the process uses for Azure resources (<c>BulkDurable:Identity</c>).</summary>
public sealed class IdentityOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "BulkDurable:Identity";

    /// <summary>Client id of the user-assigned managed identity; empty for the default credential chain.</summary>
    public string? ManagedIdentityClientId { get; set; }
}
