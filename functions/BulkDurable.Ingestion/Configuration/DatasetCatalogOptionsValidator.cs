using BulkDurable.Ingestion.Catalog;
using Microsoft.Extensions.Options;

namespace BulkDurable.Ingestion.Configuration;

/// <summary>Validates the configured catalog at start-up with the same rules that build it.</summary>
internal sealed class DatasetCatalogOptionsValidator : IValidateOptions<DatasetCatalogOptions>
{
    public ValidateOptionsResult Validate(string? name, DatasetCatalogOptions options)
    {
        var errors = DatasetCatalog.Validate(options, out _);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
