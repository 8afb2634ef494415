namespace BulkDurable.Functions.LocalHost.Catalog;

/// <summary>The HTTP side of an <c>httpTrigger</c> binding.</summary>
/// <param name="Template">The route template below the route prefix (<c>jobs/{jobId}</c>).</param>
/// <param name="Methods">The HTTP methods, upper case; every method when empty.</param>
/// <param name="AuthLevel">The authorization level: <c>Anonymous</c>, <c>Function</c> or <c>Admin</c>.</param>
public sealed record HttpRoute(string Template, IReadOnlyList<string> Methods, string AuthLevel);
