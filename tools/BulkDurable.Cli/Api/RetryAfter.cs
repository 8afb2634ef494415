namespace BulkDurable.Cli.Api;

/// <summary>Reads a response's <c>Retry-After</c> (seconds or an HTTP date), within sane bounds.</summary>
internal static class RetryAfter
{
    /// <summary>The delay used when a response does not say.</summary>
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(2);

    /// <summary>The longest delay honoured, so that a misconfigured server cannot stall the client for hours.</summary>
    public static readonly TimeSpan Max = TimeSpan.FromMinutes(5);

    /// <summary>The delay the response asks for, or null when it has no (valid) Retry-After.</summary>
    public static TimeSpan? Of(HttpResponseMessage response, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(response);
        var header = response.Headers.RetryAfter;
        var delay = header?.Delta ?? (header?.Date is { } date ? date - now : null);
        return delay is { } d ? TimeSpan.FromTicks(Math.Clamp(d.Ticks, 0, Max.Ticks)) : null;
    }
}
