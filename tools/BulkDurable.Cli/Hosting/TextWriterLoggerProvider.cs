using Microsoft.Extensions.Logging;

namespace BulkDurable.Cli.Hosting;

/// <summary>
/// Logs one line per message to standard error (never standard output, which carries results),
/// synchronously, so that messages and the progress bar appear in the order they happened.
/// </summary>
internal sealed class TextWriterLoggerProvider(TextWriter writer, bool includeStackTraces) : ILoggerProvider
{
    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new TextWriterLogger(writer, includeStackTraces);

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private sealed class TextWriterLogger(TextWriter writer, bool includeStackTraces) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);
            var line = $"{Label(logLevel)}: {formatter(state, exception)}";
            if (exception is not null)
            {
                line += includeStackTraces ? System.Environment.NewLine + exception : $" ({exception.Message})";
            }

            writer.WriteLine(line);
        }

        private static string Label(LogLevel level) => level switch
        {
            LogLevel.Trace => "trace",
            LogLevel.Debug => "debug",
            LogLevel.Information => "info",
            LogLevel.Warning => "warning",
            LogLevel.Error => "error",
            _ => "critical",
        };
    }
}
