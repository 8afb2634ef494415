namespace BulkDurable.Cli.Progress;

/// <summary>
/// Draws progress on standard error: redrawn in place at most every 100 ms on a terminal; in a log
/// (CI, a file) one line every 5 seconds of a phase, so that a short phase logs only its final line.
/// Notices and final lines are always written. Safe to call from several threads.
/// </summary>
internal sealed class ProgressRenderer
{
    private const int DefaultWidth = 120;
    private static readonly TimeSpan TerminalInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(5);

    private readonly TextWriter _error;
    private readonly bool _terminal;
    private readonly TimeProvider _timeProvider;
    private readonly Lock _lock = new();
    private long? _lastDrawn;
    private string? _lastLine;
    private bool _lineOpen;

    /// <summary>Creates a renderer.</summary>
    /// <param name="error">Standard error.</param>
    /// <param name="terminal">Whether standard error is a terminal (redraw in place) or a log (whole lines).</param>
    /// <param name="timeProvider">The clock of the redraw intervals.</param>
    public ProgressRenderer(TextWriter error, bool terminal, TimeProvider timeProvider)
    {
        _error = error;
        _terminal = terminal;
        _timeProvider = timeProvider;
        _lastDrawn = PhaseStart();
    }

    /// <summary>Shows a progress line, unless one was drawn very recently.</summary>
    public void Show(ProgressView view) => Show(ProgressBar.Format(view, LineWidth()));

    /// <summary>Shows a free-text progress line (e.g. while uploading), unless one was drawn very recently.</summary>
    public void Show(string line)
    {
        lock (_lock)
        {
            var now = _timeProvider.GetTimestamp();
            if (_lastDrawn is { } last && _timeProvider.GetElapsedTime(last, now) < (_terminal ? TerminalInterval : LogInterval))
            {
                return;
            }

            _lastDrawn = now;
            Draw(line);
        }
    }

    /// <summary>Writes a message on a line of its own.</summary>
    public void Notice(string message)
    {
        lock (_lock)
        {
            CloseLine();
            _error.WriteLine(message);
            _lastLine = null;
        }
    }

    /// <summary>Draws the last state and ends the line.</summary>
    public void Finish(ProgressView? view)
    {
        lock (_lock)
        {
            // The last state is always shown, but never twice in a row.
            if (view is not null && ProgressBar.Format(view, LineWidth()) is var line && line != _lastLine)
            {
                Draw(line);
            }

            CloseLine();
            _lastDrawn = PhaseStart();
            _lastLine = null;
        }
    }

    private void Draw(string line)
    {
        _lastLine = line;
        if (_terminal)
        {
            _error.Write("\r" + line + "\u001b[K");
            _lineOpen = true;
        }
        else
        {
            _error.WriteLine(line);
        }
    }

    private long? PhaseStart() => _terminal ? null : _timeProvider.GetTimestamp();

    private void CloseLine()
    {
        if (_lineOpen)
        {
            _error.WriteLine();
            _lineOpen = false;
        }
    }

    private int LineWidth()
    {
        if (!_terminal)
        {
            return int.MaxValue;
        }

        try
        {
            // Standard output may be redirected (--json > file) while standard error is a terminal.
            var width = Console.WindowWidth;
            return width > 20 ? width - 1 : DefaultWidth;
        }
        catch (IOException)
        {
            return DefaultWidth;
        }
    }
}
