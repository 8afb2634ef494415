using System.Globalization;
using System.Reflection;
using BulkDurable.Functions.LocalHost.Catalog;
using BulkDurable.Functions.LocalHost.Configuration;
using BulkDurable.Functions.LocalHost.Invocation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;

namespace BulkDurable.Functions.LocalHost.Http;

/// <summary>
/// The app's HTTP functions on the routes the Functions host gives them: <c>/{routePrefix}/{route}</c>
/// with the declared methods and authorization level. Each request runs in a service scope of its own
/// on a new instance of the function's class; the trigger parameter is the ASP.NET Core request (the
/// worker's ASP.NET Core integration), other parameters are route values, the Durable client or the
/// request's cancellation token; the <see cref="IActionResult"/> or <see cref="IResult"/> returned is
/// executed as the worker executes it. An exception is a bare 500, as from the Functions host.
/// </summary>
internal static partial class HttpFunctionEndpoints
{
    /// <summary>Maps every HTTP function of <paramref name="catalog"/>.</summary>
    public static void Map(IEndpointRouteBuilder endpoints, FunctionCatalog catalog, LocalHostSettings settings)
    {
        var prefix = settings.Extensions.Http.RoutePrefix.Trim('/');
        foreach (var function in catalog.Of(TriggerKind.Http))
        {
            var route = function.Http!;
            var invoker = new FunctionInvoker(function.Method);
            invoker.RequireBindable(p => p == function.TriggerParameter || IsRouteValue(p));
            if (function.TriggerParameter.ParameterType != typeof(HttpRequest))
            {
                throw new InvalidOperationException($"HTTP function {function.Name}: the local host binds the trigger as Microsoft.AspNetCore.Http.HttpRequest (ASP.NET Core integration).");
            }

            var pattern = "/" + string.Join('/', new[] { prefix, route.Template.Trim('/') }.Where(p => p.Length > 0));
            var handler = (RequestDelegate)(context => InvokeAsync(context, function, invoker));
            var endpoint = route.Methods.Count == 0 ? endpoints.Map(pattern, handler) : endpoints.MapMethods(pattern, route.Methods, handler);
            endpoint.WithName(function.Name);
        }
    }

    private static bool IsRouteValue(ParameterInfo parameter) =>
        parameter.ParameterType == typeof(string) || Nullable.GetUnderlyingType(parameter.ParameterType) is not null || parameter.ParameterType.IsPrimitive || parameter.ParameterType == typeof(Guid);

    private static async Task InvokeAsync(HttpContext context, AppFunction function, FunctionInvoker invoker)
    {
        var keys = context.RequestServices.GetRequiredService<HostKeys>();
        if (!keys.TryAuthorize(context, function.Http!.AuthLevel))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Function." + function.Name);
        object? result;
        try
        {
            result = await invoker.InvokeAsync(context.RequestServices, p => p == function.TriggerParameter ? context.Request : RouteValue(context, p), context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested)
        {
            LogFunctionFailed(logger, ex, function.Name);
            if (!context.Response.HasStarted)
            {
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            }

            return;
        }

        switch (result)
        {
            case IActionResult action:
                await action.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor())).ConfigureAwait(false);
                break;
            case IResult minimal:
                await minimal.ExecuteAsync(context).ConfigureAwait(false);
                break;
            case null:
                context.Response.StatusCode = StatusCodes.Status204NoContent;
                break;
            default:
                throw new InvalidOperationException($"HTTP function {function.Name} returned a {result.GetType().Name}; the local host executes IActionResult and IResult.");
        }
    }

    private static object? RouteValue(HttpContext context, ParameterInfo parameter)
    {
        var raw = context.GetRouteValue(parameter.Name!)?.ToString();
        if (raw is null || parameter.ParameterType == typeof(string))
        {
            return raw;
        }

        var type = Nullable.GetUnderlyingType(parameter.ParameterType) ?? parameter.ParameterType;
        return type == typeof(Guid) ? Guid.Parse(raw) : Convert.ChangeType(raw, type, CultureInfo.InvariantCulture);
    }

    [LoggerMessage(1, LogLevel.Error, "Function {Function} failed")]
    private static partial void LogFunctionFailed(ILogger logger, Exception exception, string function);
}
