using BulkDurable.Ingestion.Jobs;

namespace BulkDurable.Functions.Security;

/// <summary>Who made a request: a stable id (recorded on the jobs it submits) and whether it is an operator.</summary>
/// <param name="Id"><c>entra:{object id}</c>, <c>key:{hash of the function key}</c>, <c>header:{name}</c> or <see cref="AnonymousId"/>.</param>
/// <param name="IsOperator">Whether it holds the operator role, which sees and commands every job.</param>
public sealed record Caller(string Id, bool IsOperator)
{
    /// <summary>The id of a caller nothing identifies (and the owner of jobs that record none).</summary>
    public const string AnonymousId = "anonymous";

    /// <summary>A caller nothing identifies.</summary>
    public static Caller Anonymous { get; } = new(AnonymousId, IsOperator: false);

    /// <summary>Whether this caller may see and command <paramref name="job"/>: its own, or any for an operator.</summary>
    public bool Owns(JobDescriptor job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return IsOperator || string.Equals(job.Caller ?? AnonymousId, Id, StringComparison.Ordinal);
    }
}
