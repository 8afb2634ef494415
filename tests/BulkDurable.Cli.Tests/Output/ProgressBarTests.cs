using BulkDurable.Cli.Progress;

namespace BulkDurable.Cli.Tests.Output;

public sealed class ProgressBarTests
{
    [Fact]
    public void A_half_done_job_shows_half_a_bar_the_counts_the_rate_the_eta_and_the_rejections()
    {
        var line = ProgressBar.Format(new ProgressView(50, 500_000, 1_000_000, 12, 50, 100, 123_456.7, TimeSpan.FromSeconds(75)));

        Assert.Equal("[############............]  50.0%  500,000/1,000,000 records  50/100 chunks  123,456 rows/s  ETA 1:15  12 rejected", line);
    }

    [Fact]
    public void While_planning_the_line_shows_the_counts_so_far_and_no_percent_or_eta()
    {
        var line = ProgressBar.Format(new ProgressView(0, 500_000, 0, 3, 50, 0, 123_456.7, TimeSpan.Zero));

        Assert.Equal("[planning                ]  500,000 records  50 chunks so far  123,456 rows/s  3 rejected", line);
    }

    [Fact]
    public void Before_anything_is_loaded_the_planning_line_shows_zeros()
    {
        var line = ProgressBar.Format(new ProgressView(0, 0, 0, 0, 0, 0, 0, null));

        Assert.Equal("[planning                ]  0 records  0 chunks so far  0 rows/s  0 rejected", line);
    }

    [Fact]
    public void Once_the_totals_are_known_the_bar_the_percent_and_the_eta_return()
    {
        var line = ProgressBar.Format(new ProgressView(0.5, 5_000, 1_000_000, 0, 1, 100, 10_000, TimeSpan.FromSeconds(99)));

        Assert.StartsWith("[........................]   0.5%  5,000/1,000,000 records  1/100 chunks  10,000 rows/s  ETA 1:39", line, StringComparison.Ordinal);
    }

    [Fact]
    public void The_line_is_cut_to_the_terminal_width()
    {
        var line = ProgressBar.Format(new ProgressView(100, 10, 10, 0, 1, 1, 5, TimeSpan.Zero), maxWidth: 40);

        Assert.Equal(40, line.Length);
        Assert.StartsWith("[########################] 100.0%", line, StringComparison.Ordinal);
    }

    [Fact]
    public void A_terminal_gets_the_line_redrawn_in_place_and_a_log_gets_whole_lines()
    {
        var view = new ProgressView(10, 1, 10, 0, 1, 10, 1, null);
        var terminal = new StringWriter();
        var log = new StringWriter();

        var onTerminal = new ProgressRenderer(terminal, terminal: true, TimeProvider.System);
        onTerminal.Show(view);
        onTerminal.Finish(view);
        var inLog = new ProgressRenderer(log, terminal: false, TimeProvider.System);
        inLog.Show(view);
        inLog.Show(view);
        inLog.Finish(view);

        Assert.StartsWith("\r[##", terminal.ToString(), StringComparison.Ordinal);
        Assert.EndsWith("\u001b[K" + Environment.NewLine, terminal.ToString(), StringComparison.Ordinal);
        Assert.Single(log.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }
}
