using BulkDurable.Functions.LocalHost.Catalog;
using BulkDurable.Functions.LocalHost.Timers;

namespace BulkDurable.Functions.LocalHost.Http;

/// <summary>
/// The parts of the Functions host's admin API the local host serves: <c>GET /admin/host/status</c>
/// (<c>{"state": "Running"}</c> once the Durable worker dispatches) and <c>GET /admin/functions</c>
/// (every function it serves, with its trigger), <c>POST /admin/functions/{name}</c> (runs a
/// non-HTTP function now, here a timer function: 202, or 404 for no such function); and, of its own, <c>GET /admin/durable/stats</c> (the
/// cost of orchestration episodes, <see cref="Durable.OrchestrationEpisodeStats"/>). The master key is
/// required when keys are set.
/// </summary>
internal static class AdminApi
{
    /// <summary>Maps the API.</summary>
    public static void Map(IEndpointRouteBuilder endpoints, FunctionCatalog catalog)
    {
        var admin = endpoints.MapGroup("/admin").AddEndpointFilter(async (invocation, next) =>
            invocation.HttpContext.RequestServices.GetRequiredService<HostKeys>().TryAuthorize(invocation.HttpContext, "Admin")
                ? await next(invocation).ConfigureAwait(false)
                : Results.Unauthorized());

        admin.MapGet("/host/status", (LocalHostState state) => Results.Json(new { state = state.State }));
        admin.MapGet("/durable/stats", (Durable.OrchestrationEpisodeStats stats) => Results.Json(stats.Snapshot()));
        admin.MapPost("/functions/{name}", (string name, TimerFunctions timers) => timers.TryRunNow(name) ? Results.Accepted() : Results.NotFound());
        admin.MapGet("/functions", () => Results.Json(catalog.Functions.Select(f => new
        {
            name = f.Name,
            trigger = f.Trigger.ToString(),
            route = f.Http?.Template,
            methods = f.Http?.Methods,
            authLevel = f.Http?.AuthLevel,
            schedule = f.Timer?.Text,
        })));
    }
}
