using System.Globalization;
using CustomerGrains.Api.Auth;

namespace CustomerGrains.Api.Tracking;

/// <summary>
/// CORS for the tracking routes, and for nothing else, for the origins a store configures (<see cref="TrackingOptions"/>).
/// Not ASP.NET Core's CORS middleware: its policy is decided before the key is known, and here the origins are the
/// key's store's. A preflight carries no key, so it is answered for an origin some store allows; the call itself
/// gets <c>Access-Control-Allow-Origin</c> only when its key's store allows the page's origin, and a call from a page
/// the store does not allow is refused before anything is recorded (<see cref="RefuseOtherOriginsAsync"/>) — a
/// <c>text/plain</c> call is sent without a preflight, so the browser's CORS check alone would come after the fact.
/// </summary>
public sealed class TrackingCors(RequestDelegate next, TrackingOrigins origins)
{
    /// <summary>The request headers the tracking libraries send (Segment's and RudderStack's, measured), and gzip's.</summary>
    private static readonly HashSet<string> AllowedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "authorization", "content-type", "content-encoding", "x-retry-count", "anonymousid", "sentat", "rsa-retry-attempt", "rsa-recovered",
    };

    /// <summary>How long a browser may reuse a preflight's answer (Chromium caps it at two hours).</summary>
    private static readonly string MaxAge = TimeSpan.FromHours(1).TotalSeconds.ToString(CultureInfo.InvariantCulture);

    public async Task InvokeAsync(HttpContext context)
    {
        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length == 0 || context.GetEndpoint()?.Metadata.GetMetadata<TrackingRoute>() is null)
        {
            await next(context);
            return;
        }

        var headers = context.Response.Headers;
        headers.Vary = "Origin";
        if (HttpMethods.IsOptions(context.Request.Method))
        {
            var method = context.Request.Headers.AccessControlRequestMethod.ToString();
            if (!origins.AllowsAny(origin) || !HttpMethods.IsPost(method))
            {
                await Problems.Forbidden("no store allows tracking calls from this origin").ExecuteAsync(context);
                return;
            }

            headers.AccessControlAllowOrigin = origin;
            headers.AccessControlAllowMethods = "POST";
            headers.AccessControlAllowHeaders = string.Join(", ", Requested(context.Request).Where(AllowedHeaders.Contains).DefaultIfEmpty("content-type"));
            headers.AccessControlMaxAge = MaxAge;
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        context.Response.OnStarting(() =>
        {
            // The caller is known once the key check ran; a call refused before it gets no CORS headers.
            if (context.Items[ApiCaller.Item] is ApiCaller caller && (origins.Allows(caller.Store, origin) || IsOwn(context.Request, origin)))
            {
                headers.AccessControlAllowOrigin = origin;
            }

            return Task.CompletedTask;
        });
        await next(context);
    }

    /// <summary>
    /// The endpoint filter of the tracking routes: a call from a page (it has an <c>Origin</c>) whose origin the key's
    /// store does not allow is a 403, and nothing of it is recorded. Calls from servers send no <c>Origin</c>.
    /// </summary>
    public static async ValueTask<object?> RefuseOtherOriginsAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length > 0
            && !IsOwn(context.Request, origin)
            && !context.RequestServices.GetRequiredService<TrackingOrigins>().Allows(ApiCaller.Of(context).Store, origin))
        {
            return Problems.Forbidden($"this store does not allow tracking calls from this origin (add it to {TrackingOptions.Section}:Origins)");
        }

        return await next(invocation);
    }

    /// <summary>A page the Api serves itself calls from the Api's own origin, which is no cross-origin call.</summary>
    private static bool IsOwn(HttpRequest request, string origin) =>
        string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase);

    private static IEnumerable<string> Requested(HttpRequest request) =>
        request.Headers.AccessControlRequestHeaders.ToString().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
