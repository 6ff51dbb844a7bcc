using System.Text.Json;
using CustomerGrains.Api.Validation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CustomerGrains.Api.Tracking;

/// <summary>
/// The body of a tracking call, read once per request: decoded by <c>Content-Encoding</c> and limited after decoding
/// (a gzip bomb is a 413), parsed as JSON whatever the <c>Content-Type</c> label — browser libraries send
/// <c>text/plain</c> to avoid a CORS preflight, RudderStack's Node SDK <c>application/x-www-form-urlencoded</c>.
/// The key check may read it first, to find a write key in it; the route then reads the same document.
/// </summary>
public static class TrackingBody
{
    private const string Item = "cg.tracking-body";

    /// <summary>The request's JSON document (disposed with the response), or the problem with the body.</summary>
    public static async Task<(JsonDocument? Document, ProblemHttpResult? Problem)> ReadAsync(HttpContext context, TrackingRoute route)
    {
        if (context.Items[Item] is JsonDocument read)
        {
            return (read, null);
        }

        var (document, problem) = await JsonBody.ReadAsync(context.Request, route.MaxBytes, context.RequestAborted, anyMediaType: true);
        if (document is not null)
        {
            context.Items[Item] = document;
            context.Response.RegisterForDispose(document);
        }

        return (document, problem);
    }

    /// <summary>
    /// The write key a browser library sent instead of an <c>Authorization</c> header: the body's <c>writeKey</c> (Segment's
    /// analytics.js; in a batch, the batch's, else the one its messages share), or on a route that allows it the query's
    /// <c>writeKey</c> (RudderStack's beacon). Null with no problem when there is none.
    /// </summary>
    public static async Task<(string? Key, ProblemHttpResult? Problem)> WriteKeyAsync(HttpContext context, TrackingRoute route)
    {
        if (route.KeyInQuery && context.Request.Query["writeKey"] is [{ Length: > 0 } query])
        {
            return (query, null);
        }

        var (document, problem) = await ReadAsync(context, route);
        if (problem is not null)
        {
            return (null, problem);
        }

        var root = document!.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return (null, null);
        }

        if (Text(root, "writeKey") is { } key)
        {
            return (key, null);
        }

        if (!root.TryGetProperty("batch", out var batch) || batch.ValueKind != JsonValueKind.Array)
        {
            return (null, null);
        }

        var keys = batch.EnumerateArray().Where(m => m.ValueKind == JsonValueKind.Object).Select(m => Text(m, "writeKey")).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        return keys.Count > 1
            ? (null, Problems.BadRequest("the messages of a batch name different write keys; send one batch per key"))
            : (keys.FirstOrDefault(), null);
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 and <= 512 } text ? text : null;
}
