using System.Globalization;
using System.Text.Json;
using BulkDurable.Functions.Http;
using BulkDurable.Functions.LocalHost.Durable;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Entities;

namespace BulkDurable.Functions.LocalHost.Http;

/// <summary>
/// The Durable extension's built-in HTTP API (learn.microsoft.com, "HTTP API reference", Durable
/// Functions) under <c>/runtime/webhooks/durabletask</c>, for the instances of this host's task hub:
/// start an orchestration, status of one instance or a query of many, raise event, terminate, suspend,
/// resume, purge of one instance or of many, and the state of one entity. Status codes and bodies are
/// the documented ones; the system key is required when keys are set (<see cref="HostKeysOptions"/>).
/// Rewind, history, entity listing and entity signals are not served. The start route is served
/// because the Functions host serves it: whoever holds the system key can start the app's
/// orchestrations with any input, which the orchestrations check (<see cref="Orchestration.OrchestrationInputRules"/>).
/// </summary>
internal static class DurableHttpApi
{
    /// <summary>The base path of the API.</summary>
    public const string BasePath = "/runtime/webhooks/durabletask";

    /// <summary>Maps the API.</summary>
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup(BasePath + "/instances").AddEndpointFilter(RequireSystemKeyAsync);
        api.MapGet("/{instanceId}", GetStatusAsync);
        api.MapGet("/", QueryAsync);
        api.MapDelete("/{instanceId}", PurgeAsync);
        api.MapDelete("/", PurgeManyAsync);
        api.MapPost("/{instanceId}/raiseEvent/{eventName}", RaiseEventAsync);
        api.MapPost("/{instanceId}/terminate", (string instanceId, string? reason, DurableTaskClient client, CancellationToken ct) =>
            CommandAsync(client, instanceId, () => client.TerminateInstanceAsync(instanceId, reason, ct), ct));
        api.MapPost("/{instanceId}/suspend", (string instanceId, string? reason, DurableTaskClient client, CancellationToken ct) =>
            CommandAsync(client, instanceId, () => client.SuspendInstanceAsync(instanceId, reason, ct), ct));
        api.MapPost("/{instanceId}/resume", (string instanceId, string? reason, DurableTaskClient client, CancellationToken ct) =>
            CommandAsync(client, instanceId, () => client.ResumeInstanceAsync(instanceId, reason, ct), ct));
        endpoints.MapGroup(BasePath + "/entities").AddEndpointFilter(RequireSystemKeyAsync).MapGet("/{entityName}/{entityKey}", GetEntityAsync);
        endpoints.MapGroup(BasePath + "/orchestrators").AddEndpointFilter(RequireSystemKeyAsync).MapPost("/{functionName}/{instanceId?}", StartAsync);
    }

    /// <summary>The system key, and the task hub this host serves when one is named.</summary>
    private static async ValueTask<object?> RequireSystemKeyAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        if (!context.RequestServices.GetRequiredService<HostKeys>().TryAuthorize(context, HostKeys.SystemLevel))
        {
            return Results.Unauthorized();
        }

        var hub = context.RequestServices.GetRequiredService<TaskHub>().Settings.HubName;
        var requested = context.Request.Query["taskHub"].ToString();
        return requested.Length > 0 && !string.Equals(requested, hub, StringComparison.OrdinalIgnoreCase)
            ? Results.Text($"This host serves task hub {hub} only.", statusCode: StatusCodes.Status400BadRequest)
            : await next(invocation).ConfigureAwait(false);
    }

    /// <summary>
    /// Starts an orchestration with the request's JSON body as its input: 202 with the management
    /// payload and Location, 404 for a name that is not an orchestration of the app, 400 for a body
    /// that is not JSON, 409 when the instance exists in a state that cannot be replaced.
    /// </summary>
    private static async Task<IResult> StartAsync(HttpContext context, string functionName, string? instanceId, DurableTaskClient client, IManagementLinkFactory links, Catalog.FunctionCatalog catalog, CancellationToken cancellationToken)
    {
        var orchestration = catalog.Of(Catalog.TriggerKind.Orchestration).FirstOrDefault(f => string.Equals(f.Name, functionName, StringComparison.OrdinalIgnoreCase));
        if (orchestration is null)
        {
            return Results.NotFound();
        }

        JsonElement? input = null;
        if (context.Request.ContentLength is not 0)
        {
            try
            {
                using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: cancellationToken).ConfigureAwait(false);
                input = body.RootElement.Clone();
            }
            catch (JsonException)
            {
                return Results.Text("Invalid JSON content", statusCode: StatusCodes.Status400BadRequest);
            }
        }

        string id;
        try
        {
            id = await client.ScheduleNewOrchestrationInstanceAsync(new Microsoft.DurableTask.TaskName(orchestration.Name), input, new Microsoft.DurableTask.StartOrchestrationOptions(string.IsNullOrEmpty(instanceId) ? null : instanceId), cancellationToken).ConfigureAwait(false);
        }
        catch (global::DurableTask.Core.Exceptions.OrchestrationAlreadyExistsException ex)
        {
            return Results.Text(ex.Message, statusCode: StatusCodes.Status409Conflict);
        }

        var payload = links.Create(client, id);
        if (payload?.StatusQueryGetUri is { } status)
        {
            context.Response.Headers.Location = status;
        }

        return Results.Json((object?)payload ?? new { id }, statusCode: StatusCodes.Status202Accepted);
    }

    /// <summary>An entity's state: 200 with the state as stored, 404 when the entity has none ("$" is the empty key).</summary>
    private static async Task<IResult> GetEntityAsync(string entityName, string entityKey, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var id = new EntityInstanceId(entityName, entityKey == "$" ? string.Empty : entityKey);
        var entity = await client.Entities.GetEntityAsync(id, includeState: true, cancellationToken).ConfigureAwait(false);
        return entity?.State.Value is { } state
            ? new RawJsonResult(StatusCodes.Status200OK, writer => WriteRaw(writer, state))
            : Results.NotFound();
    }

    private static async Task<IResult> GetStatusAsync(HttpContext context, string instanceId, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var query = context.Request.Query;
        var showInput = !string.Equals(query["showInput"], "false", StringComparison.OrdinalIgnoreCase);
        var instance = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, cancellationToken).ConfigureAwait(false);
        if (instance is null)
        {
            return Results.NotFound();
        }

        var status = instance.RuntimeStatus switch
        {
            OrchestrationRuntimeStatus.Completed => StatusCodes.Status200OK,
            OrchestrationRuntimeStatus.Failed when string.Equals(query["returnInternalServerErrorOnFailure"], "true", StringComparison.OrdinalIgnoreCase) => StatusCodes.Status500InternalServerError,
            OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated => StatusCodes.Status400BadRequest,
            _ => StatusCodes.Status202Accepted,
        };
        if (status == StatusCodes.Status202Accepted)
        {
            context.Response.Headers.Location = context.Request.CurrentUrl();
            context.Response.Headers.RetryAfter = "10";
        }

        return new RawJsonResult(status, writer => WriteInstance(writer, instance, showInput));
    }

    private static async Task<IResult> QueryAsync(HttpContext context, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var query = context.Request.Query;
        var filter = new OrchestrationQuery
        {
            CreatedFrom = Date(query["createdTimeFrom"]),
            CreatedTo = Date(query["createdTimeTo"]),
            Statuses = Statuses(query["runtimeStatus"]),
            InstanceIdPrefix = query["instanceIdPrefix"].ToString() is { Length: > 0 } prefix ? prefix : null,
            PageSize = int.TryParse(query["top"], NumberStyles.None, CultureInfo.InvariantCulture, out var top) && top > 0 ? top : OrchestrationQuery.DefaultPageSize,
            ContinuationToken = context.Request.Headers["x-ms-continuation-token"].ToString() is { Length: > 0 } token ? token : null,
            FetchInputsAndOutputs = string.Equals(query["showInput"], "true", StringComparison.OrdinalIgnoreCase),
        };
        await foreach (var page in client.GetAllInstancesAsync(filter).AsPages(filter.ContinuationToken, filter.PageSize).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (page.ContinuationToken is { } next)
            {
                context.Response.Headers["x-ms-continuation-token"] = next;
            }

            return new RawJsonResult(StatusCodes.Status200OK, writer =>
            {
                writer.WriteStartArray();
                foreach (var instance in page.Values)
                {
                    WriteInstance(writer, instance, filter.FetchInputsAndOutputs);
                }

                writer.WriteEndArray();
            });
        }

        return new RawJsonResult(StatusCodes.Status200OK, writer => writer.WriteRawValue("[]"));
    }

    private static async Task<IResult> PurgeAsync(string instanceId, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var instance = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken).ConfigureAwait(false);
        if (instance is null)
        {
            return Results.NotFound();
        }

        if (!instance.IsCompleted)
        {
            return Results.Text($"Instance {instanceId} is {instance.RuntimeStatus}; only a completed, failed or terminated instance can be purged.", statusCode: StatusCodes.Status409Conflict);
        }

        var result = await client.PurgeInstanceAsync(instanceId, cancellation: cancellationToken).ConfigureAwait(false);
        return Results.Json(new { instancesDeleted = result.PurgedInstanceCount });
    }

    private static async Task<IResult> PurgeManyAsync(HttpContext context, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var query = context.Request.Query;
        if (Date(query["createdTimeFrom"]) is not { } from)
        {
            return Results.Text("createdTimeFrom is required.", statusCode: StatusCodes.Status400BadRequest);
        }

        var result = await client.PurgeAllInstancesAsync(new PurgeInstancesFilter(from, Date(query["createdTimeTo"]), Statuses(query["runtimeStatus"])), cancellation: cancellationToken).ConfigureAwait(false);
        return result.PurgedInstanceCount == 0 ? Results.NotFound() : Results.Json(new { instancesDeleted = result.PurgedInstanceCount });
    }

    private static async Task<IResult> RaiseEventAsync(HttpContext context, string instanceId, string eventName, DurableTaskClient client, CancellationToken cancellationToken)
    {
        JsonElement? payload = null;
        if (context.Request.ContentLength is not 0)
        {
            try
            {
                using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: cancellationToken).ConfigureAwait(false);
                payload = document.RootElement.Clone();
            }
            catch (JsonException)
            {
                return Results.Text("The event data is not JSON.", statusCode: StatusCodes.Status400BadRequest);
            }
        }

        return await CommandAsync(client, instanceId, () => client.RaiseEventAsync(instanceId, eventName, payload, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>202 when sent; 404 for no instance; 410 for one that has ended (the documented answers).</summary>
    private static async Task<IResult> CommandAsync(DurableTaskClient client, string instanceId, Func<Task> send, CancellationToken cancellationToken)
    {
        var instance = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken).ConfigureAwait(false);
        if (instance is null)
        {
            return Results.NotFound();
        }

        if (instance.IsCompleted)
        {
            return Results.StatusCode(StatusCodes.Status410Gone);
        }

        await send().ConfigureAwait(false);
        return Results.Accepted();
    }

    private static void WriteInstance(Utf8JsonWriter writer, OrchestrationMetadata instance, bool showInput)
    {
        writer.WriteStartObject();
        writer.WriteString("name", instance.Name);
        writer.WriteString("instanceId", instance.InstanceId);
        writer.WriteString("runtimeStatus", instance.RuntimeStatus.ToString());
        writer.WritePropertyName("input");
        WriteRaw(writer, showInput ? instance.SerializedInput : null);
        writer.WritePropertyName("customStatus");
        WriteRaw(writer, instance.SerializedCustomStatus);
        writer.WritePropertyName("output");
        if (instance.RuntimeStatus == OrchestrationRuntimeStatus.Failed && instance.FailureDetails is { } failure)
        {
            writer.WriteStringValue(failure.ErrorMessage);
        }
        else
        {
            WriteRaw(writer, instance.SerializedOutput);
        }

        writer.WriteString("createdTime", instance.CreatedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        writer.WriteString("lastUpdatedTime", instance.LastUpdatedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        if (instance.FailureDetails is { } details)
        {
            writer.WriteStartObject("failureDetails");
            writer.WriteString("errorType", details.ErrorType);
            writer.WriteString("errorMessage", details.ErrorMessage);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    /// <summary>
    /// Writes a stored value: JSON as it is; anything else as a string (the Azure Storage backend keeps
    /// the suspend reason, plain text, where a running instance's output would be).
    /// </summary>
    private static void WriteRaw(Utf8JsonWriter writer, string? stored)
    {
        if (string.IsNullOrEmpty(stored))
        {
            writer.WriteNullValue();
        }
        else if (IsJson(stored))
        {
            writer.WriteRawValue(stored, skipInputValidation: true);
        }
        else
        {
            writer.WriteStringValue(stored);
        }
    }

    private static bool IsJson(string text)
    {
        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(text));
        try
        {
            return reader.Read() && reader.TrySkip() && !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static DateTimeOffset? Date(string? value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date) ? date : null;

    private static List<OrchestrationRuntimeStatus>? Statuses(string? value) =>
        string.IsNullOrEmpty(value) ? null
        : [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => Enum.Parse<OrchestrationRuntimeStatus>(s, ignoreCase: true))];

    private static string CurrentUrl(this HttpRequest request) =>
        $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}{request.QueryString}";

    /// <summary>A JSON body written with a <see cref="Utf8JsonWriter"/> (stored inputs and outputs are already JSON).</summary>
    private sealed class RawJsonResult(int statusCode, Action<Utf8JsonWriter> write) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = statusCode;
            httpContext.Response.ContentType = "application/json; charset=utf-8";
            var writer = new Utf8JsonWriter(httpContext.Response.Body);
            await using (writer.ConfigureAwait(false))
            {
                write(writer);
                await writer.FlushAsync(httpContext.RequestAborted).ConfigureAwait(false);
            }
        }
    }
}
