using BulkDurable.Testing;

namespace BulkDurable.Functions.Tests.Publishing;

/// <summary>
/// What the Functions host will find in the deployed app: <c>functions.metadata</c> of a real
/// <c>dotnet publish</c> holds every function of the app with the trigger (and, for HTTP, the route,
/// method and authorization level) the API documents, and nothing else.
/// </summary>
public sealed class FunctionsMetadataTests(PublishedApp app) : IClassFixture<PublishedApp>
{
    /// <summary>The app's non-HTTP functions and their triggers (docs/functions.md, "Orchestration design", "Entities" and "Retention").</summary>
    public static TheoryData<string, string> NonHttpFunctions { get; } = new()
    {
        { FunctionNames.PurgeJobHistory, "timerTrigger" },
        { FunctionNames.IngestJob, "orchestrationTrigger" },
        { FunctionNames.LoadSegment, "orchestrationTrigger" },
        { FunctionNames.PlanJob, "activityTrigger" },
        { FunctionNames.GetPendingChunks, "activityTrigger" },
        { FunctionNames.LoadChunk, "activityTrigger" },
        { FunctionNames.FinalizeJob, "activityTrigger" },
        { FunctionNames.IdempotencyKeyEntity, "entityTrigger" },
        { FunctionNames.JobProgressEntity, "entityTrigger" },
        { FunctionNames.SubmissionRateEntity, "entityTrigger" },
    };

    [Fact]
    public void The_published_folder_holds_what_the_functions_host_loads_and_no_local_settings()
    {
        foreach (var file in new[] { "host.json", "worker.config.json", "functions.metadata", "datasets.json", "BulkDurable.Functions.dll", "BulkDurable.Ingestion.dll" })
        {
            Assert.True(File.Exists(Path.Combine(app.Folder, file)), $"{file} is missing from the publish folder");
        }

        // The host-side extensions the worker SDK builds (WorkerExtensions): the Durable extension among them.
        Assert.True(File.Exists(Path.Combine(app.Folder, ".azurefunctions", "Microsoft.Azure.WebJobs.Extensions.DurableTask.dll")), "the Durable host extension is missing");
        Assert.False(File.Exists(Path.Combine(app.Folder, "local.settings.json")), "local.settings.json must never be deployed");
    }

    [Fact]
    public void Every_route_the_openapi_document_lists_is_an_http_function_with_its_method_and_a_function_key()
    {
        Assert.NotEmpty(DocumentedApi.Operations);
        foreach (var (route, method) in DocumentedApi.Operations)
        {
            var function = Assert.Single(app.Functions, f => f.TriggerType == "httpTrigger" && f.Route == route && f.Methods.Contains(method));
            Assert.Equal("Function", function.AuthLevel);
        }
    }

    [Fact]
    public void Every_http_function_of_the_app_is_documented_in_the_openapi_document()
    {
        foreach (var function in app.Functions.Where(f => f.TriggerType == "httpTrigger"))
        {
            Assert.All(function.Methods, method => Assert.Contains((function.Route!, method), DocumentedApi.Operations));
        }
    }

    [Theory]
    [MemberData(nameof(NonHttpFunctions))]
    public void Every_orchestration_activity_entity_and_timer_is_published_with_its_trigger(string name, string trigger)
    {
        var function = Assert.Single(app.Functions, f => f.Name == name);
        Assert.Equal(trigger, function.TriggerType);
    }

    [Fact]
    public void The_app_publishes_no_function_beyond_the_documented_ones()
    {
        var durable = NonHttpFunctions.Select(row => row.Data.Item1).ToHashSet();
        var unexpected = app.Functions.Where(f => f.TriggerType != "httpTrigger" && !durable.Contains(f.Name)).Select(f => f.Name);
        Assert.Empty(unexpected);
    }

    [Fact]
    public void Http_functions_that_start_or_command_orchestrations_bind_a_durable_client()
    {
        foreach (var name in new[] { FunctionNames.SubmitJob, FunctionNames.GetJobStatus, FunctionNames.CancelJob, FunctionNames.SuspendJob, FunctionNames.ResumeJob, FunctionNames.RedriveJob })
        {
            Assert.Contains("durableClient", Assert.Single(app.Functions, f => f.Name == name).BindingTypes);
        }
    }
}
