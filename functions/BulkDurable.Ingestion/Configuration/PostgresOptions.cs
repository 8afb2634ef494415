using System.ComponentModel.DataAnnotations;

namespace BulkDurable.Ingestion.Configuration;

/// <summary>The PostgreSQL server datasets are loaded into (<c>BulkDurable:Postgres</c>).</summary>
public sealed class PostgresOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "BulkDurable:Postgres";

    /// <summary>The Npgsql connection string; without a password when <see cref="UseEntraAuthentication"/> is set.</summary>
    [Required(ErrorMessage = "BulkDurable:Postgres:ConnectionString is required.")]
    public string ConnectionString { get; set; } = "";

    /// <summary>Use a Microsoft Entra access token as the password (Azure Database for PostgreSQL).</summary>
    public bool UseEntraAuthentication { get; set; }
}
