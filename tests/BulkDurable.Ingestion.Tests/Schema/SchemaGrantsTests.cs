using BulkDurable.Ingestion.Jobs;
using BulkDurable.Ingestion.Payloads;
using BulkDurable.Ingestion.Schema;
using BulkDurable.Ingestion.Synthetic;
using BulkDurable.Testing;
using Npgsql;

namespace BulkDurable.Ingestion.Tests.Schema;

/// <summary>
/// The grants against the real PostgreSQL: a role that owns nothing, granted by the tables' owner,
/// can run jobs, and holds nothing beyond what the app needs. Roles are created with the test
/// cluster's superuser (<c>postgres</c>, which infra/postgres.sh gives the app role's password).
/// </summary>
public sealed class SchemaGrantsTests(ServersFixture servers) : IAsyncLifetime
{
    private readonly string _role = "bd_grantee_" + Guid.NewGuid().ToString("N")[..12];
    private readonly string _password = Guid.NewGuid().ToString("N");
    private NpgsqlDataSource _superuser = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _superuser = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(servers.Servers.PostgresConnectionString) { Username = "postgres" }.ConnectionString);
        await _superuser.ExecuteSqlAsync($"CREATE ROLE \"{_role}\" LOGIN PASSWORD '{_password}'");
    }

    public async ValueTask DisposeAsync()
    {
        await _superuser.ExecuteSqlAsync($"DROP OWNED BY \"{_role}\"");
        await _superuser.ExecuteSqlAsync($"DROP ROLE \"{_role}\"");
        await _superuser.DisposeAsync();
    }

    [Fact]
    public async Task A_granted_role_loads_jobs_into_tables_it_does_not_own()
    {
        // A serial column outside the catalog: inserting draws from its sequence, which needs USAGE.
        var dataset = await TestDataset.CreateAsync(
            servers.DataSource,
            "id bigserial PRIMARY KEY, sensor_id text NOT NULL, sampled_at timestamptz NOT NULL, value double precision, note text, UNIQUE (sensor_id, sampled_at)",
            TestDataset.SensorReadingsOptions());
        await using (var owner = IngestionTestHost.Create(servers.Servers, null, dataset))
        {
            await new SchemaGrants(owner.DataSource, owner.Catalog).GrantAsync(_role, Ct);
        }

        var asRole = servers.Servers with
        {
            PostgresConnectionString = new NpgsqlConnectionStringBuilder(servers.Servers.PostgresConnectionString) { Username = _role, Password = _password }.ConnectionString,
        };
        await using var app = IngestionTestHost.Create(asRole, null, dataset);
        using var payload = new MemoryStream();
        await new SyntheticRecordWriter(app.Catalog.Get(dataset.Name), PayloadFormat.Ndjson).WriteAsync(payload, 5_000, cancellationToken: Ct);

        var first = await app.RunAsync(await app.SubmitAsync(dataset.Name, PayloadFormat.Ndjson, payload.ToArray()), 2, Ct);
        var again = await app.RunAsync(await app.SubmitAsync(dataset.Name, PayloadFormat.Ndjson, payload.ToArray()), 2, Ct);

        Assert.Equal(JobState.Completed, first.Result.State);
        Assert.Equal(5_000, first.Result.Inserted);
        Assert.Equal(JobState.Completed, again.Result.State);
        Assert.Equal(5_000, again.Result.Unchanged);
        Assert.Equal(5_000, await dataset.CountAsync(servers.DataSource));
    }

    [Fact]
    public async Task Grants_select_insert_update_and_schema_usage_only()
    {
        var dataset = await TestDataset.SensorReadingsAsync(servers.DataSource);
        await using var host = IngestionTestHost.Create(servers.Servers, null, dataset);
        var grants = new SchemaGrants(host.DataSource, host.Catalog);

        var statements = await grants.GrantAsync(_role, Ct);
        var repeated = await grants.GrantAsync(_role, Ct);

        Assert.Equal(statements, repeated);
        Assert.All(statements, s => Assert.EndsWith($" TO \"{_role}\"", s, StringComparison.Ordinal));
        foreach (var table in new[] { "bulkdurable.chunk_ledger", "public.sensor_readings", dataset.Table })
        {
            foreach (var privilege in new[] { "SELECT", "INSERT", "UPDATE" })
            {
                Assert.True(await HasTablePrivilegeAsync(table, privilege), $"{privilege} on {table}");
            }

            foreach (var privilege in new[] { "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER" })
            {
                Assert.False(await HasTablePrivilegeAsync(table, privilege), $"{privilege} on {table}");
            }
        }

        Assert.False(await _superuser.QueryScalarAsync<bool>("SELECT has_table_privilege($1, 'bulkdurable.schema_version', 'SELECT')", _role));
        Assert.False(await _superuser.QueryScalarAsync<bool>("SELECT has_schema_privilege($1, 'bulkdurable', 'CREATE')", _role));
    }

    [Fact]
    public async Task A_role_that_does_not_exist_is_refused_before_anything_is_granted()
    {
        await using var host = IngestionTestHost.Create(servers.Servers);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => new SchemaGrants(host.DataSource, host.Catalog).GrantAsync("bd_nobody_" + Guid.NewGuid().ToString("N")[..8], Ct));

        Assert.Contains("does not exist", error.Message);
    }

    [Theory]
    [InlineData("id-bulkdurable-x7k2")]
    [InlineData("someone@contoso.com")]
    [InlineData("someone_fabrikam.com#EXT#@contoso.onmicrosoft.com")]
    [InlineData("BulkDurable Admins")]
    [InlineData("_app")]
    public void Managed_identity_user_and_group_names_are_valid_role_names(string role) =>
        Assert.True(SchemaGrants.IsValidRoleName(role));

    [Theory]
    [InlineData("")]
    [InlineData("bad\"role")]
    [InlineData("x; DROP TABLE bulkdurable.chunk_ledger")]
    [InlineData("trailing ")]
    [InlineData(" leading")]
    [InlineData("-dash-first")]
    [InlineData("tab\there")]
    [InlineData("ünïcödé")]
    public async Task Names_that_would_need_escaping_are_refused(string role)
    {
        await using var host = IngestionTestHost.Create(servers.Servers);

        Assert.False(SchemaGrants.IsValidRoleName(role));
        await Assert.ThrowsAsync<ArgumentException>(() => new SchemaGrants(host.DataSource, host.Catalog).GrantAsync(role, Ct));
    }

    [Fact]
    public void A_name_longer_than_postgres_allows_is_refused() =>
        Assert.False(SchemaGrants.IsValidRoleName(new string('a', 64)));

    private Task<bool> HasTablePrivilegeAsync(string table, string privilege) =>
        _superuser.QueryScalarAsync<bool>("SELECT has_table_privilege($1, $2, $3)", _role, table, privilege);
}
