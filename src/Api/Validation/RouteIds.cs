using Microsoft.AspNetCore.Http.Features;

namespace CustomerGrains.Api.Validation;

/// <summary>
/// Customer ids are the store's own and may contain '/'. Kestrel decodes every escape in a path except
/// <c>%2F</c>, which it leaves as it is, so a route value "a%2Fb" may have been sent as <c>a%2Fb</c> (the id
/// "a/b") or as <c>a%252Fb</c> (the id "a%2Fb"); only the raw request target tells which.
/// </summary>
public static class RouteIds
{
    /// <summary>The id in the path segment <paramref name="fromEnd"/> places before the last one, fully unescaped.</summary>
    public static string Customer(HttpContext context, string routeValue, int fromEnd = 0)
    {
        if (!routeValue.Contains("%2F", StringComparison.OrdinalIgnoreCase)
            || context.Features.Get<IHttpRequestFeature>()?.RawTarget is not { } raw)
        {
            return routeValue;
        }

        var path = raw.Split('?', 2)[0];
        var segments = path.Split('/');
        var index = segments.Length - 1 - fromEnd;
        return index > 0 ? Uri.UnescapeDataString(segments[index]) : routeValue;
    }
}
