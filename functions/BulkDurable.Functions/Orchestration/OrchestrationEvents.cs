namespace BulkDurable.Functions.Orchestration;

/// <summary>External events the orchestrations listen to.</summary>
public static class OrchestrationEvents
{
    /// <summary>
    /// Stop scheduling chunks, let those in flight finish, finalize as cancelled. Raised on the job
    /// orchestration by <c>POST /api/jobs/{jobId}/cancel</c>, which forwards it to the running segment.
    /// </summary>
    public const string Cancel = "Cancel";
}
