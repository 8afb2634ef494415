using Azure;
using Npgsql;

namespace BulkDurable.Ingestion.Loading;

/// <summary>
/// What a client may be told about a failure: a stable code and a safe message. Database and storage
/// messages name servers, tables, columns and SQL, so they stay in the logs (with the job id); a client
/// gets the condition, e.g. <c>SQLSTATE 42501 (insufficient privilege)</c> or <c>HTTP 404 (BlobNotFound)</c>.
/// </summary>
/// <param name="Code">A stable, documented code (docs/reliability.md, "Errors"): <c>database-refused</c>,
/// <c>database-unavailable</c>, <c>storage-refused</c>, <c>storage-unavailable</c>, <c>timeout</c>, <c>internal-error</c>.</param>
/// <param name="Message">A message for the client, without server, object or statement text.</param>
public sealed record FailureReport(string Code, string Message)
{
    /// <summary>The report of <paramref name="exception"/> (or of the database or storage error it wraps).</summary>
    public static FailureReport Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return Unwrap(exception) switch
        {
            PostgresException postgres => new("database-refused", $"The database refused the operation: SQLSTATE {postgres.SqlState} ({Condition(postgres.SqlState)}).") ,
            NpgsqlException => new("database-unavailable", "The database could not be reached or dropped the connection."),
            RequestFailedException { Status: 0 or 408 or 429 or >= 500 } storage => new("storage-unavailable", $"Blob Storage is unavailable (HTTP {storage.Status}{ErrorCode(storage)})."),
            RequestFailedException storage => new("storage-refused", $"Blob Storage refused the request (HTTP {storage.Status}{ErrorCode(storage)})."),
            TimeoutException or OperationCanceledException => new("timeout", "The operation timed out."),
            IOException or HttpRequestException or System.Net.Sockets.SocketException => new("storage-unavailable", "A network error interrupted the operation."),
            var other => new("internal-error", $"The operation failed with an internal error ({other.GetType().Name})."),
        };
    }

    /// <summary>The report as one line: <c>[code] message</c>.</summary>
    public override string ToString() => $"[{Code}] {Message}";

    private static Exception Unwrap(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is NpgsqlException or RequestFailedException)
            {
                return current;
            }
        }

        return exception is AggregateException { InnerExceptions.Count: 1 } aggregate ? Unwrap(aggregate.InnerExceptions[0]) : exception;
    }

    private static string ErrorCode(RequestFailedException exception) => string.IsNullOrEmpty(exception.ErrorCode) ? "" : ", " + exception.ErrorCode;

    /// <summary>The condition name of a SQLSTATE class (PostgreSQL documentation, Appendix A), or of a few common codes.</summary>
    private static string Condition(string sqlState) => sqlState switch
    {
        "42501" => "insufficient privilege",
        "42P01" => "undefined table",
        "42703" => "undefined column",
        "40001" => "serialization failure",
        "40P01" => "deadlock detected",
        "53300" => "too many connections",
        "57014" => "query canceled",
        "57P01" => "server shutting down",
        "25006" => "read-only transaction",
        _ => sqlState.Length < 2 ? "unknown" : sqlState[..2] switch
        {
            "08" => "connection exception",
            "22" => "data exception",
            "23" => "integrity constraint violation",
            "25" => "invalid transaction state",
            "28" => "invalid authorization",
            "40" => "transaction rollback",
            "42" => "syntax error or access rule violation",
            "53" => "insufficient resources",
            "54" => "program limit exceeded",
            "55" => "object not in prerequisite state",
            "57" => "operator intervention",
            "58" => "system error",
            "P0" => "raised by a function or trigger",
            "XX" => "internal error",
            _ => "database error",
        },
    };
}
