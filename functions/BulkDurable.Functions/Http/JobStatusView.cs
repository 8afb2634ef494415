using BulkDurable.Ingestion.Api;
using BulkDurable.Ingestion.Jobs;
using BulkDurable.Ingestion.Results;

namespace BulkDurable.Functions.Http;

/// <summary>
/// The status document of <c>GET /api/jobs/{jobId}</c>: exact numbers from storage and the ledger
/// (<see cref="JobStatusReader"/>), with the state corrected by what the host knows and the links.
/// </summary>
public static class JobStatusView
{
    /// <summary>Builds the document.</summary>
    /// <param name="status">The job's status from storage.</param>
    /// <param name="runtime">What the host knows of the job's run.</param>
    /// <param name="baseUrl">The public base URL, for the links.</param>
    public static JobStatusDocument Build(JobStatus status, JobRuntimeState runtime, Uri baseUrl)
    {
        ArgumentNullException.ThrowIfNull(status);
        var document = JobStatusDocument.From(status, RuntimeOverride(runtime));
        if (status.State.IsTerminal() && runtime is JobRuntimeState.Pending or JobRuntimeState.Running or JobRuntimeState.Suspended)
        {
            // A redrive is running over a finalized job: the previous result stays until it finalizes again.
            document = document with { State = runtime == JobRuntimeState.Suspended ? "Suspended" : JobState.Running.ToString(), FinishedAt = null };
        }

        return document with { Links = ApiRoutes.StatusLinks(baseUrl, status.Job.JobId, document.HasFailedRecords) };
    }

    /// <summary>The state a client sees for the job.</summary>
    public static string StateOf(JobStatus status, JobRuntimeState runtime)
    {
        ArgumentNullException.ThrowIfNull(status);
        if (status.State.IsTerminal())
        {
            return runtime switch
            {
                JobRuntimeState.Suspended => "Suspended",
                JobRuntimeState.Pending or JobRuntimeState.Running => JobState.Running.ToString(),
                _ => status.State.ToString(),
            };
        }

        return RuntimeOverride(runtime) ?? status.State.ToString();
    }

    /// <summary>
    /// The state storage cannot know: a suspended run, or a run that ended without finalizing
    /// (an unhandled failure, or terminated by an operator).
    /// </summary>
    public static string? RuntimeOverride(JobRuntimeState runtime) => runtime switch
    {
        JobRuntimeState.Suspended => "Suspended",
        JobRuntimeState.Failed => JobState.Failed.ToString(),
        JobRuntimeState.Terminated => JobState.Cancelled.ToString(),
        _ => null,
    };
}
