using BulkDurable.Functions.Http;
using BulkDurable.Functions.Orchestration;
using BulkDurable.Functions.Tests.Fakes;
using BulkDurable.Ingestion.Jobs;
using BulkDurable.Ingestion.Payloads;
using BulkDurable.Testing;
using DurableTask.Core.Exceptions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Moq;

namespace BulkDurable.Functions.Tests.Http;

public sealed class JobCommandFunctionsTests(ServersFixture servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Cancel_raises_the_cancel_event_and_answers_202_with_the_status()
    {
        await using var host = FunctionsTestHost.Create(servers);
        var job = await AcceptedAsync(host, OrchestrationRuntimeStatus.Running);
        var request = HttpExchange.Request("POST");

        var response = await (await Run(host, (f, r, c) => f.CancelAsync(r, c, job.JobId, Ct), request)).ExecuteAsync(request);

        Assert.Equal(202, response.Status);
        Assert.Equal($"http://localhost:7071/api/jobs/{job.JobId}", response.Header("Location"));
        Assert.Equal(job.JobId, response.Json.GetProperty("jobId").GetString());
        host.Client.Verify(c => c.RaiseEventAsync(job.JobId, OrchestrationEvents.Cancel, It.IsAny<object?>(), It.IsAny<CancellationToken>()));
        host.Client.Verify(c => c.ResumeInstanceAsync(It.IsAny<string>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Cancelling_a_suspended_job_resumes_it_to_see_the_cancellation()
    {
        await using var host = FunctionsTestHost.Create(servers);
        var job = await AcceptedAsync(host, OrchestrationRuntimeStatus.Suspended);
        var request = HttpExchange.Request("POST");

        var response = await (await Run(host, (f, r, c) => f.CancelAsync(r, c, job.JobId, Ct), request)).ExecuteAsync(request);

        Assert.Equal(202, response.Status);
        host.Client.Verify(c => c.RaiseEventAsync(job.JobId, OrchestrationEvents.Cancel, It.IsAny<object?>(), It.IsAny<CancellationToken>()));
        host.Client.Verify(c => c.ResumeInstanceAsync(job.JobId, It.IsAny<string?>(), It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task Suspend_and_resume_go_to_the_orchestration()
    {
        await using var host = FunctionsTestHost.Create(servers);
        var job = await AcceptedAsync(host, OrchestrationRuntimeStatus.Running);
        var suspend = HttpExchange.Request("POST");
        Assert.Equal(202, (await (await Run(host, (f, r, c) => f.SuspendAsync(r, c, job.JobId, Ct), suspend)).ExecuteAsync(suspend)).Status);
        host.Client.Verify(c => c.SuspendInstanceAsync(job.JobId, It.IsAny<string?>(), It.IsAny<CancellationToken>()));

        Instance(host, job, OrchestrationRuntimeStatus.Suspended);
        var resume = HttpExchange.Request("POST");
        Assert.Equal(202, (await (await Run(host, (f, r, c) => f.ResumeAsync(r, c, job.JobId, Ct), resume)).ExecuteAsync(resume)).Status);
        host.Client.Verify(c => c.ResumeInstanceAsync(job.JobId, It.IsAny<string?>(), It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task A_command_the_state_does_not_allow_is_409()
    {
        await using var host = FunctionsTestHost.Create(servers);
        var job = await AcceptedAsync(host, OrchestrationRuntimeStatus.Running);
        var resume = HttpExchange.Request("POST");
        var redrive = HttpExchange.Request("POST");

        SubmitJobFunctionTests.AssertProblem(await (await Run(host, (f, r, c) => f.ResumeAsync(r, c, job.JobId, Ct), resume)).ExecuteAsync(resume), 409, "invalid-job-state");
        SubmitJobFunctionTests.AssertProblem(await (await Run(host, (f, r, c) => f.RedriveAsync(r, c, job.JobId, Ct), redrive)).ExecuteAsync(redrive), 409, "invalid-job-state");
        host.Client.Verify(c => c.ResumeInstanceAsync(It.IsAny<string>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Redrive_schedules_a_new_run_of_a_finished_job_with_failed_chunks()
    {
        await using var host = FunctionsTestHost.Create(servers);
        var job = await AcceptedAsync(host, OrchestrationRuntimeStatus.Completed, run: 1);
        IngestJobInput? input = null;
        StartOrchestrationOptions? options = null;
        host.Client.Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .Callback<TaskName, object?, StartOrchestrationOptions?, CancellationToken>((_, i, o, _) => (input, options) = ((IngestJobInput)i!, o))
            .ReturnsAsync(job.JobId);
        var request = HttpExchange.Request("POST");

        var response = await (await Run(host, (f, r, c) => f.RedriveAsync(r, c, job.JobId, Ct), request)).ExecuteAsync(request);

        Assert.Equal(202, response.Status);
        Assert.True(input?.Redrive);
        Assert.Equal(2, input?.Run);
        Assert.Equal(job, input?.Job);
        Assert.Equal(job.JobId, options?.InstanceId);
        Assert.DoesNotContain("Completed", options?.DedupeStatuses ?? []);
        Assert.Contains("Running", options?.DedupeStatuses ?? []);
    }

    [Fact]
    public async Task A_redrive_racing_another_is_409()
    {
        await using var host = FunctionsTestHost.Create(servers);
        var job = await AcceptedAsync(host, OrchestrationRuntimeStatus.Failed);
        host.Client.Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new OrchestrationAlreadyExistsException("running"));
        var request = HttpExchange.Request("POST");

        SubmitJobFunctionTests.AssertProblem(await (await Run(host, (f, r, c) => f.RedriveAsync(r, c, job.JobId, Ct), request)).ExecuteAsync(request), 409, "invalid-job-state");
    }

    [Fact]
    public async Task A_command_on_an_unknown_job_is_404()
    {
        await using var host = FunctionsTestHost.Create(servers);
        var request = HttpExchange.Request("POST");

        SubmitJobFunctionTests.AssertProblem(await (await Run(host, (f, r, c) => f.CancelAsync(r, c, "nope", Ct), request)).ExecuteAsync(request), 404, "unknown-job");
    }

    private static Task<IActionResult> Run(FunctionsTestHost host, Func<JobCommandFunctions, HttpRequest, DurableTaskClient, Task<IActionResult>> command, HttpRequest request) =>
        command(host.Function<JobCommandFunctions>(), request, host.Client.Object);

    private static async Task<JobDescriptor> AcceptedAsync(FunctionsTestHost host, OrchestrationRuntimeStatus status, int run = 0)
    {
        var submitted = await host.Engine.SubmitAsync("sensor_readings", PayloadFormat.Ndjson, "{}\n");
        var job = (await host.Engine.Steps.AcceptAsync(submitted, Ct)).Job;
        Instance(host, job, status, run);
        return job;
    }

    private static void Instance(FunctionsTestHost host, JobDescriptor job, OrchestrationRuntimeStatus status, int run = 0) =>
        host.Client.Setup(c => c.GetInstanceAsync(job.JobId, It.IsAny<bool>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(FunctionsTestHost.Instance(job.JobId, status, new IngestJobInput(job, OrchestrationHarness.Settings(), Run: run)));
}
