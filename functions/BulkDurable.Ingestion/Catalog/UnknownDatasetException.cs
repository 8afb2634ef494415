using BulkDurable.Ingestion.Diagnostics;

namespace BulkDurable.Ingestion.Catalog;

/// <summary>A client named a dataset that is not in the catalog.</summary>
public sealed class UnknownDatasetException : Exception
{
    /// <summary>Creates the exception for the given (untrusted) name.</summary>
    public UnknownDatasetException(string? name)
        : base($"Unknown dataset '{InputText.Show(name)}'. Only datasets declared in the catalog can be written.") => DatasetName = name;

    /// <summary>The name the client gave.</summary>
    public string? DatasetName { get; }
}
