namespace BulkDurable.Benchmarks;

/// <summary>One timed run of one scenario.</summary>
internal sealed record Measurement(string Scenario, long Rows, TimeSpan Elapsed, long? PeakBytes, bool Extrapolated = false)
{
    public double RowsPerSecond => Rows / Elapsed.TotalSeconds;
}
