using BulkDurable.Functions.Http;
using BulkDurable.Ingestion.Api;
using BulkDurable.Ingestion.Jobs;

namespace BulkDurable.Functions.Tests.Http;

public sealed class JobCommandPolicyTests
{
    [Theory]
    [InlineData(JobRuntimeState.Pending, true)]
    [InlineData(JobRuntimeState.Running, true)]
    [InlineData(JobRuntimeState.Suspended, true)]
    [InlineData(JobRuntimeState.Completed, false)]
    [InlineData(JobRuntimeState.Failed, false)]
    [InlineData(JobRuntimeState.Terminated, false)]
    [InlineData(JobRuntimeState.Unknown, false)]
    public void Cancel_needs_a_live_run(JobRuntimeState runtime, bool allowed) =>
        AssertAllowed(allowed, JobCommandPolicy.Check(JobCommand.Cancel, runtime, JobStatuses.Running()));

    [Theory]
    [InlineData(JobRuntimeState.Pending, true)]
    [InlineData(JobRuntimeState.Running, true)]
    [InlineData(JobRuntimeState.Suspended, false)]
    [InlineData(JobRuntimeState.Completed, false)]
    public void Suspend_needs_a_running_job(JobRuntimeState runtime, bool allowed) =>
        AssertAllowed(allowed, JobCommandPolicy.Check(JobCommand.Suspend, runtime, JobStatuses.Running()));

    [Theory]
    [InlineData(JobRuntimeState.Suspended, true)]
    [InlineData(JobRuntimeState.Running, false)]
    [InlineData(JobRuntimeState.Completed, false)]
    public void Resume_needs_a_suspended_job(JobRuntimeState runtime, bool allowed) =>
        AssertAllowed(allowed, JobCommandPolicy.Check(JobCommand.Resume, runtime, JobStatuses.Running()));

    [Fact]
    public void Redrive_runs_a_finished_job_with_chunks_left()
    {
        Assert.Null(JobCommandPolicy.Check(JobCommand.Redrive, JobRuntimeState.Completed, JobStatuses.Finished(JobState.Failed, 4, 3)));
        Assert.Null(JobCommandPolicy.Check(JobCommand.Redrive, JobRuntimeState.Completed, JobStatuses.Finished(JobState.Cancelled, 4, 1)));
        Assert.Null(JobCommandPolicy.Check(JobCommand.Redrive, JobRuntimeState.Completed, JobStatuses.Finished(JobState.CompletedWithErrors, 4, 2)));
    }

    [Fact]
    public void Redrive_runs_a_job_whose_run_ended_without_a_result()
    {
        Assert.Null(JobCommandPolicy.Check(JobCommand.Redrive, JobRuntimeState.Failed, JobStatuses.Running()));
        Assert.Null(JobCommandPolicy.Check(JobCommand.Redrive, JobRuntimeState.Terminated, JobStatuses.Running()));
        Assert.Null(JobCommandPolicy.Check(JobCommand.Redrive, JobRuntimeState.Unknown, JobStatuses.Accepted()));
    }

    [Fact]
    public void Redrive_refuses_a_complete_or_running_job()
    {
        AssertAllowed(false, JobCommandPolicy.Check(JobCommand.Redrive, JobRuntimeState.Completed, JobStatuses.Finished(JobState.Completed, 4, 4)));
        AssertAllowed(false, JobCommandPolicy.Check(JobCommand.Redrive, JobRuntimeState.Completed, JobStatuses.Finished(JobState.CompletedWithErrors, 4, 4, rejected: 3)));
        AssertAllowed(false, JobCommandPolicy.Check(JobCommand.Redrive, JobRuntimeState.Completed, JobStatuses.Finished(JobState.Failed, 0, 0, error: "payload rejected")));
        AssertAllowed(false, JobCommandPolicy.Check(JobCommand.Redrive, JobRuntimeState.Running, JobStatuses.Running()));
        AssertAllowed(false, JobCommandPolicy.Check(JobCommand.Redrive, JobRuntimeState.Suspended, JobStatuses.Running()));
    }

    [Fact]
    public void A_refusal_is_a_409_naming_the_state()
    {
        var problem = JobCommandPolicy.Check(JobCommand.Resume, JobRuntimeState.Completed, JobStatuses.Finished(JobState.Completed, 2, 2));

        Assert.NotNull(problem);
        Assert.Equal(409, problem.Status);
        Assert.Equal("urn:bulkdurable:problem:invalid-job-state", problem.Type);
        Assert.Contains("job1 is Completed", problem.Detail, StringComparison.Ordinal);
        Assert.Contains("resumed", problem.Detail, StringComparison.Ordinal);
    }

    private static void AssertAllowed(bool allowed, ApiProblem? problem)
    {
        if (allowed)
        {
            Assert.Null(problem);
        }
        else
        {
            Assert.Equal(409, problem?.Status);
        }
    }
}
