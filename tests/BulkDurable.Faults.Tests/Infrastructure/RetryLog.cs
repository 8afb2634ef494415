using System.Collections.Concurrent;
using BulkDurable.Ingestion.Configuration;
using BulkDurable.Ingestion.Jobs;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace BulkDurable.Faults.Tests.Infrastructure;

/// <summary>
/// Records the runner's retries (log event 14, <c>ChunkRetrying</c>): which chunk, which attempt,
/// the back-off it chose and the failure that caused it. Register it as an <see cref="ILoggerProvider"/>.
/// </summary>
internal sealed class RetryLog : ILoggerProvider
{
    private const int ChunkRetryingEventId = 14;

    private readonly ConcurrentQueue<Retry> _retries = new();

    public IReadOnlyList<Retry> Retries => [.. _retries];

    public ILogger CreateLogger(string categoryName) => new Recorder(this);

    public void Dispose()
    {
    }

    /// <summary>Asserts that every recorded delay is what <see cref="Backoff"/> allows for its attempt: exponential, capped, jittered within the upper half.</summary>
    public void AssertExponentialBackoffWithJitter(RetryOptions options)
    {
        foreach (var retry in Retries)
        {
            var capped = Math.Min(options.FirstInterval.TotalMilliseconds * Math.Pow(options.BackoffCoefficient, retry.Attempt - 1), options.MaxInterval.TotalMilliseconds);
            Assert.InRange(retry.DelayMs, Math.Floor(capped / 2) - 1, capped);
        }
    }

    /// <summary>The failures retried, by kind (SQLSTATE, or exception type), for the report.</summary>
    public string Describe() =>
        string.Join(", ", Retries.GroupBy(r => r.Cause).OrderByDescending(g => g.Count()).Select(g => $"{g.Count()}× {g.Key}"));

    /// <summary>One retry.</summary>
    internal sealed record Retry(int ChunkIndex, int Attempt, long DelayMs, string Cause);

    private sealed class Recorder(RetryLog log) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id != ChunkRetryingEventId || state is not IReadOnlyList<KeyValuePair<string, object?>> values)
            {
                return;
            }

            var properties = values.ToDictionary(v => v.Key, v => v.Value);
            log._retries.Enqueue(new Retry(
                Convert.ToInt32(properties["ChunkIndex"], System.Globalization.CultureInfo.InvariantCulture),
                Convert.ToInt32(properties["Attempt"], System.Globalization.CultureInfo.InvariantCulture),
                Convert.ToInt64(properties["DelayMs"], System.Globalization.CultureInfo.InvariantCulture),
                Cause(exception)));
        }

        private static string Cause(Exception? exception)
        {
            for (var e = exception; e is not null; e = e.InnerException)
            {
                if (e is PostgresException postgres)
                {
                    return "SQLSTATE " + postgres.SqlState;
                }
            }

            var innermost = exception;
            while (innermost?.InnerException is not null)
            {
                innermost = innermost.InnerException;
            }

            return innermost?.GetType().Name ?? "unknown";
        }
    }
}
