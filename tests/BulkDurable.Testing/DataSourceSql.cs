using Npgsql;

namespace BulkDurable.Testing;

/// <summary>One-statement SQL for test set-up and checks, run on a connection of the data source.</summary>
public static class DataSourceSql
{
    /// <summary>Runs <paramref name="sql"/> (one or more statements, no parameters).</summary>
    public static async Task ExecuteSqlAsync(this NpgsqlDataSource dataSource, string sql, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The first column of the first row of <paramref name="sql"/>, with <paramref name="values"/> as <c>$1</c>, <c>$2</c>, ...</summary>
    public static async Task<T> QueryScalarAsync<T>(this NpgsqlDataSource dataSource, string sql, params object[] values)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var command = dataSource.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return (T)(await command.ExecuteScalarAsync())!;
    }
}
