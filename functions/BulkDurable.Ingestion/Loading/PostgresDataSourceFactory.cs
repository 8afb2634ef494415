using Azure.Core;
using BulkDurable.Ingestion.Configuration;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace BulkDurable.Ingestion.Loading;

/// <summary>
/// Creates the one <see cref="NpgsqlDataSource"/> of a process. With Entra authentication the
/// password is an access token from the credential, refreshed well before it expires, so no
/// password is configured anywhere.
/// </summary>
public static class PostgresDataSourceFactory
{
    /// <summary>The token audience of Azure Database for PostgreSQL.</summary>
    public const string EntraScope = "https://ossrdbms-aad.database.windows.net/.default";

    /// <summary>Creates the data source.</summary>
    public static NpgsqlDataSource Create(PostgresOptions options, TokenCredential credential, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(credential);
        var builder = new NpgsqlDataSourceBuilder(options.ConnectionString);
        if (string.IsNullOrEmpty(builder.ConnectionStringBuilder.ApplicationName))
        {
            builder.ConnectionStringBuilder.ApplicationName = "BulkDurable";
        }

        // The loader keeps a temporary staging table per connection; the pool's reset (DISCARD ALL)
        // would drop it each time a connection is returned. Nothing else sets session state.
        builder.ConnectionStringBuilder.NoResetOnClose = true;

        if (loggerFactory is not null)
        {
            builder.UseLoggerFactory(loggerFactory);
        }

        if (options.UseEntraAuthentication)
        {
            // Tokens live 60-90 minutes; refreshing every 30 keeps new connections valid, and a
            // failed refresh is retried soon rather than at the next interval.
            builder.UsePeriodicPasswordProvider(
                async (_, cancellationToken) =>
                    (await credential.GetTokenAsync(new TokenRequestContext([EntraScope]), cancellationToken).ConfigureAwait(false)).Token,
                TimeSpan.FromMinutes(30),
                TimeSpan.FromSeconds(10));
        }

        return builder.Build();
    }
}
