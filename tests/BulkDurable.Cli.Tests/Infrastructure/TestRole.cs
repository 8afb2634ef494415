using BulkDurable.Testing;
using Npgsql;

namespace BulkDurable.Cli.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL role, created and dropped with the superuser of the test cluster
/// (infra/postgres.sh gives the superuser <c>postgres</c> the same password as the app role).
/// </summary>
internal sealed class TestRole : IAsyncDisposable
{
    private readonly NpgsqlDataSource _superuser;

    private TestRole(NpgsqlDataSource superuser, string name)
    {
        _superuser = superuser;
        Name = name;
    }

    public string Name { get; }

    public static async Task<TestRole> CreateAsync(LocalServers servers)
    {
        var superuser = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(servers.PostgresConnectionString) { Username = "postgres" }.ConnectionString);
        var role = new TestRole(superuser, "bd_app_" + Guid.NewGuid().ToString("N")[..12]);
        await superuser.ExecuteSqlAsync($"CREATE ROLE \"{role.Name}\" NOLOGIN");
        return role;
    }

    /// <summary>Whether the role holds every privilege of a comma-separated list on a table (has_table_privilege is true for any one of a list).</summary>
    public async Task<bool> HasTablePrivilegeAsync(string table, string privileges)
    {
        foreach (var privilege in privileges.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!await _superuser.QueryScalarAsync<bool>("SELECT has_table_privilege($1, $2, $3)", Name, table, privilege))
            {
                return false;
            }
        }

        return true;
    }

    public async Task<bool> HasSchemaUsageAsync(string schema) =>
        await _superuser.QueryScalarAsync<bool>("SELECT has_schema_privilege($1, $2, 'USAGE')", Name, schema);

    public async ValueTask DisposeAsync()
    {
        await _superuser.ExecuteSqlAsync($"DROP OWNED BY \"{Name}\"");
        await _superuser.ExecuteSqlAsync($"DROP ROLE \"{Name}\"");
        await _superuser.DisposeAsync();
    }
}
