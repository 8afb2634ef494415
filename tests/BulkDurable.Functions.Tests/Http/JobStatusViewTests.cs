using System.Text.Json;
using BulkDurable.Functions.Http;
using BulkDurable.Ingestion.Api;
using BulkDurable.Ingestion.Jobs;

namespace BulkDurable.Functions.Tests.Http;

public sealed class JobStatusViewTests
{
    private static readonly Uri BaseUrl = new("https://h/");

    [Theory]
    [InlineData(JobRuntimeState.Running, "Running")]
    [InlineData(JobRuntimeState.Pending, "Running")]
    [InlineData(JobRuntimeState.Suspended, "Suspended")]
    [InlineData(JobRuntimeState.Failed, "Failed")]
    [InlineData(JobRuntimeState.Terminated, "Cancelled")]
    [InlineData(JobRuntimeState.Unknown, "Running")]
    public void A_running_job_shows_what_the_host_knows(JobRuntimeState runtime, string state)
    {
        Assert.Equal(state, JobStatusView.Build(JobStatuses.Running(), runtime, BaseUrl).State);
        Assert.Equal(state, JobStatusView.StateOf(JobStatuses.Running(), runtime));
    }

    [Fact]
    public void A_finished_job_shows_its_result()
    {
        var document = JobStatusView.Build(JobStatuses.Finished(JobState.CompletedWithErrors, 4, 3), JobRuntimeState.Completed, BaseUrl);

        Assert.Equal("CompletedWithErrors", document.State);
        Assert.NotNull(document.FinishedAt);
        Assert.Equal(["boom"], document.Errors.Select(e => e.Message));
    }

    [Theory]
    [InlineData(JobRuntimeState.Running, "Running")]
    [InlineData(JobRuntimeState.Pending, "Running")]
    [InlineData(JobRuntimeState.Suspended, "Suspended")]
    public void A_redrive_in_progress_is_not_shown_as_finished(JobRuntimeState runtime, string state)
    {
        var document = JobStatusView.Build(JobStatuses.Finished(JobState.Failed, 4, 3), runtime, BaseUrl);

        Assert.Equal(state, document.State);
        Assert.Null(document.FinishedAt);
    }

    [Fact]
    public void Exact_progress_comes_from_storage()
    {
        var document = JobStatusView.Build(JobStatuses.Running(chunkCount: 10, chunksLoaded: 4), JobRuntimeState.Running, BaseUrl);

        Assert.Equal(10, document.Progress.Chunks.Total);
        Assert.Equal(4, document.Progress.Chunks.Loaded);
        Assert.Equal(6, document.Progress.Chunks.Pending);
        Assert.Equal(100, document.Progress.Records.Submitted);
        Assert.Equal(40, document.Progress.Records.Inserted);
        Assert.Equal(40, document.Progress.Percent);
        Assert.Equal("https://h/api/jobs/job1", document.Links?["self"]);
        Assert.False(document.Links?.ContainsKey("failedRecords"));
    }

    [Fact]
    public void The_status_document_has_progress_links_and_never_a_management_url()
    {
        var status = JobStatuses.Finished(JobState.CompletedWithErrors, chunkCount: 4, chunksLoaded: 3, rejected: 2);
        var document = JobStatusView.Build(status, JobRuntimeState.Completed, new Uri("https://func.example.net/"));

        var text = JsonSerializer.Serialize(document, ApiJsonContext.Default.JobStatusDocument);
        using var json = JsonDocument.Parse(text);
        var root = json.RootElement;

        Assert.Equal("CompletedWithErrors", root.GetProperty("state").GetString());
        Assert.Equal(4, root.GetProperty("progress").GetProperty("chunks").GetProperty("total").GetInt32());
        Assert.Equal(3, root.GetProperty("progress").GetProperty("chunks").GetProperty("loaded").GetInt32());
        Assert.True(root.GetProperty("progress").GetProperty("records").TryGetProperty("rejected", out _));
        Assert.True(root.GetProperty("progress").TryGetProperty("rowsPerSecond", out _));
        Assert.Equal("https://func.example.net/api/jobs/job1", root.GetProperty("links").GetProperty("self").GetString());
        Assert.Equal("https://func.example.net/api/jobs/job1/failed-records", root.GetProperty("links").GetProperty("failedRecords").GetString());
        Assert.DoesNotContain("runtime/webhooks", text, StringComparison.Ordinal);
        Assert.DoesNotContain("code=", text, StringComparison.Ordinal);
        Assert.False(root.TryGetProperty("management", out _));
    }
}
