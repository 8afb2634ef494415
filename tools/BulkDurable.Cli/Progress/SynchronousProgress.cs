namespace BulkDurable.Cli.Progress;

/// <summary>
/// Reports progress on the reporting thread. The BCL's <see cref="Progress{T}"/> posts each report to
/// the thread pool, which can reorder them and draw an older count after a newer one.
/// </summary>
internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    /// <inheritdoc />
    public void Report(T value) => report(value);
}
