using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;

namespace BulkDurable.Functions.Tests.Fakes;

/// <summary>Requests as the worker's ASP.NET Core integration hands them to a function, and responses as clients see them.</summary>
internal static class HttpExchange
{
    public static HttpRequest Request(string method, string? contentType = null, byte[]? body = null, IReadOnlyDictionary<string, string>? headers = null, bool chunked = false)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("127.0.0.1:41234");
        context.Request.Headers["X-Forwarded-Host"] = "localhost:7071";
        context.Request.ContentType = contentType;
        context.Request.Body = new MemoryStream(body ?? []);
        if (body is not null && !chunked)
        {
            context.Request.ContentLength = body.Length;
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            context.Request.Headers[name] = value;
        }

        context.Response.Body = new MemoryStream();
        return context.Request;
    }

    public static HttpRequest Json(string json, IReadOnlyDictionary<string, string>? headers = null) =>
        Request("POST", "application/json", Encoding.UTF8.GetBytes(json), headers);

    public static HttpRequest Ndjson(string ndjson, IReadOnlyDictionary<string, string>? headers = null) =>
        Request("POST", "application/x-ndjson", Encoding.UTF8.GetBytes(ndjson), headers);

    /// <summary>Runs the result as the worker does and reads the response.</summary>
    public static async Task<Response> ExecuteAsync(this IActionResult result, HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(request);
        var context = request.HttpContext;
        await result.ExecuteResultAsync(new ActionContext(context, new RouteData(), new ActionDescriptor()));
        var body = ((MemoryStream)context.Response.Body).ToArray();
        return new Response(context.Response.StatusCode, context.Response.Headers, context.Response.ContentType, body);
    }
}

/// <summary>A response as a client sees it.</summary>
internal sealed record Response(int Status, IHeaderDictionary Headers, string? ContentType, byte[] Body)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public string Text => Encoding.UTF8.GetString(Body);

    public string Header(string name) => Headers[name].ToString();
}
