using BulkDurable.Ingestion.Catalog;
using Microsoft.Extensions.Configuration;

namespace BulkDurable.Ingestion.Tests.Catalog;

public sealed class DatasetCatalogTests
{
    private static DatasetOptions Valid() => new()
    {
        Table = "public.readings",
        Columns = [new ColumnOptions { Name = "id", Type = ColumnType.Bigint, Nullable = false }, new ColumnOptions { Name = "v", Type = ColumnType.Double }],
        ConflictKey = ["id"],
        OnConflict = ConflictAction.Update,
    };

    private static IReadOnlyList<string> Errors(string name, DatasetOptions options) =>
        DatasetCatalog.Validate(new DatasetCatalogOptions { Datasets = { [name] = options } }, out _);

    [Fact]
    public void A_valid_dataset_is_built_with_quoted_identifiers()
    {
        var catalog = DatasetCatalog.Create(new DatasetCatalogOptions { Datasets = { ["readings"] = Valid() } });

        var dataset = catalog.Get("readings");
        Assert.Equal("\"public\".\"readings\"", dataset.QualifiedTable);
        Assert.Equal("\"id\"", Assert.Single(dataset.ConflictKey).QuotedName);
    }

    [Theory]
    [InlineData("Readings")]
    [InlineData("readings; drop table x")]
    [InlineData("1readings")]
    [InlineData("")]
    public void Dataset_names_must_be_lower_case_identifiers(string name) =>
        Assert.Contains(Errors(name, Valid()), e => e.Contains("Dataset name", StringComparison.Ordinal));

    [Theory]
    [InlineData("readings")]
    [InlineData("public.readings\"; DROP TABLE x; --")]
    [InlineData("a.b.c")]
    public void Tables_must_be_schema_qualified_identifiers(string table)
    {
        var options = Valid();
        options.Table = table;

        Assert.Contains(Errors("readings", options), e => e.Contains("Table", StringComparison.Ordinal));
    }

    [Fact]
    public void Column_names_with_sql_in_them_are_refused()
    {
        var options = Valid();
        options.Columns.Add(new ColumnOptions { Name = "v\" text); DROP TABLE x; --" });

        Assert.Contains(Errors("readings", options), e => e.Contains("lower-case identifier", StringComparison.Ordinal));
    }

    [Fact]
    public void Conflict_keys_must_be_declared_not_null_columns()
    {
        var options = Valid();
        options.ConflictKey = ["v", "nope"];

        var errors = Errors("readings", options);

        Assert.Contains(errors, e => e.Contains("'v' must be declared with Nullable: false", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("'nope', which is not a declared column", StringComparison.Ordinal));
    }

    [Fact]
    public void Update_and_reject_need_a_conflict_key()
    {
        var options = Valid();
        options.ConflictKey = [];

        Assert.Contains(Errors("readings", options), e => e.Contains("needs a ConflictKey", StringComparison.Ordinal));
    }

    [Fact]
    public void Unknown_datasets_are_not_found()
    {
        var catalog = DatasetCatalog.Create(new DatasetCatalogOptions { Datasets = { ["readings"] = Valid() } });

        Assert.False(catalog.TryGet("readings2", out _));
        Assert.False(catalog.TryGet(null, out _));
        Assert.Throws<UnknownDatasetException>(() => catalog.Get("'; DROP TABLE readings; --"));
    }

    [Fact]
    public void The_shipped_catalog_is_valid()
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Testing.RepositoryPaths.Combine("datasets.json"))
            .Build();
        var options = new DatasetCatalogOptions();
        configuration.GetSection("BulkDurable").Bind(options);

        var catalog = DatasetCatalog.Create(options);

        var readings = catalog.Get("sensor_readings");
        Assert.Equal(["sensor_id", "sampled_at", "value", "note"], readings.Columns.Select(c => c.Name));
        Assert.Equal(ConflictAction.Ignore, readings.OnConflict);
    }
}
