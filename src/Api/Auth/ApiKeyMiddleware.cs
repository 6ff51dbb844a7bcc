using System.Text;
using CustomerGrains.Api.Tracking;
using Microsoft.AspNetCore.Authorization;

namespace CustomerGrains.Api.Auth;

/// <summary>
/// The key check, after routing and before binding, so nothing of a request is looked at for a caller who may not
/// make it: 401 without a valid key, 403 when the key belongs to another store or lacks the route's scope — the
/// same answer whether or not that store, or anything in it, exists. Fails closed: a route that declares neither
/// a scope nor <c>AllowAnonymous</c> answers no one. The one exception to "nothing is looked at": a tracking route
/// called without an Authorization header reads its body for the write key a browser library puts there.
/// </summary>
public sealed class ApiKeyMiddleware(RequestDelegate next, ApiKeyRegistry registry, ILogger<ApiKeyMiddleware> logger)
{
    private static readonly IReadOnlySet<string> IngestOnly = new HashSet<string>(StringComparer.Ordinal) { Scopes.Ingest };

    public async Task InvokeAsync(HttpContext context)
    {
        // Endpoints that are not routes are the router's own answers (405 for a method a route does not take):
        // they read nothing and answer the same for every store.
        var endpoint = context.GetEndpoint();
        if (endpoint is null or not RouteEndpoint || endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null)
        {
            await next(context);
            return;
        }

        if (endpoint.Metadata.GetMetadata<RequiredScope>() is not { } required)
        {
            logger.LogError("Route {Route} declares no scope; refusing every request to it", endpoint.DisplayName);
            await Problems.Internal("this route is not configured for access").ExecuteAsync(context);
            return;
        }

        var presented = Presented(context.Request);
        var inCall = false;
        if (presented is null && endpoint.Metadata.GetMetadata<TrackingRoute>() is { } route)
        {
            // A browser library's write key, in the body (or a beacon's query): only tracking routes look for one.
            var (key, problem) = await TrackingBody.WriteKeyAsync(context, route);
            if (problem is not null)
            {
                await problem.ExecuteAsync(context);
                return;
            }

            (presented, inCall) = (key, true);
        }

        if (presented is null || await registry.FindAsync(presented) is not { } found)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await Problems.Unauthorized().ExecuteAsync(context);
            return;
        }

        // A key sent with the call rather than in the Authorization header is a page's key, public by nature:
        // whatever else it may do elsewhere, with the call it may only ingest.
        var caller = inCall ? found with { Scopes = found.Scopes.Contains(Scopes.Ingest) ? IngestOnly : new HashSet<string>() } : found;
        var store = context.Request.RouteValues["store"] as string;
        if (store is not null && !string.Equals(store, caller.Store, StringComparison.Ordinal))
        {
            await Problems.Forbidden("this key does not belong to that store").ExecuteAsync(context);
            return;
        }

        if (required.Scope.Length > 0 && !caller.Scopes.Contains(required.Scope))
        {
            await Problems.Forbidden($"this key lacks the '{required.Scope}' scope").ExecuteAsync(context);
            return;
        }

        context.Items[ApiCaller.Item] = caller;
        await next(context);
    }

    /// <summary>A bearer token, or (for Segment-compatible clients) the basic-auth user name.</summary>
    private static string? Presented(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var token = header["Bearer ".Length..].Trim();
            return token.Length is > 0 and <= 512 ? token : null;
        }

        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
                var user = decoded.Split(':', 2)[0];
                return user.Length is > 0 and <= 512 ? user : null;
            }
            catch (FormatException)
            {
                return null;
            }
        }

        return null;
    }
}
