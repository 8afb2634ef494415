using System.Net.Sockets;
using Azure;
using Npgsql;

namespace BulkDurable.Ingestion.Loading;

/// <summary>
/// Tells failures worth retrying (the same attempt may succeed later) from permanent ones.
/// Retryable: lost or refused connections, server shutdown or restart, deadlocks, serialization
/// failures, too many connections, storage throttling and 5xx. Everything else is permanent.
/// </summary>
public static class FailureClassifier
{
    /// <summary>Whether <paramref name="exception"/> (or what it wraps) is worth retrying.</summary>
    public static bool IsRetryable(Exception exception) => exception switch
    {
        RetryableIngestionException => true,
        PostgresException postgres => IsRetryableSqlState(postgres.SqlState),
        NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is IOException or SocketException || (npgsql.InnerException is { } inner && IsRetryable(inner)),
        RequestFailedException storage => storage.Status is 0 or 408 or 429 or >= 500,
        IOException or SocketException or HttpRequestException or TimeoutException => true,
        AggregateException aggregate => aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(IsRetryable),
        _ => false,
    };

    /// <summary>SQLSTATEs that describe the server's condition rather than the data.</summary>
    public static bool IsRetryableSqlState(string sqlState) => sqlState switch
    {
        "40001" or "40P01" => true, // serialization failure, deadlock detected
        "53000" or "53100" or "53200" or "53300" or "53400" => true, // insufficient resources, too many connections
        "57P01" or "57P02" or "57P03" or "57014" => true, // admin/crash shutdown, cannot connect now, query canceled by the server
        "55P03" or "55006" => true, // lock not available, object in use
        "58000" or "58030" => true, // system error, I/O error
        _ => sqlState.StartsWith("08", StringComparison.Ordinal), // connection exceptions
    };

    /// <summary>
    /// Whether a database error is caused by the values of some rows (constraint violations, bad
    /// values, trigger-raised errors), so that isolating those rows lets the others load.
    /// </summary>
    public static bool IsRowDataError(PostgresException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.SqlState.StartsWith("22", StringComparison.Ordinal) // data exception
            || exception.SqlState.StartsWith("23", StringComparison.Ordinal) // integrity constraint violation
            || exception.SqlState == "P0001"; // raise_exception (a trigger refusing a row)
    }
}
