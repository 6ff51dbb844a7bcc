using System.Text;

namespace CustomerGrains.Api.Auth;

/// <summary>
/// Bearer-key check for store routes: 401 without a valid key, 403 when the key belongs to another store or
/// lacks the scope. A key never learns whether another store exists.
/// </summary>
public sealed class ApiKeyFilter(string scope) : IEndpointFilter
{
    public const string KeyItem = "cg.apiKey";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var registry = http.RequestServices.GetRequiredService<ApiKeyRegistry>();
        if (Presented(http.Request) is not { } presented || registry.Find(presented) is not { } key)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return Problems.Unauthorized();
        }

        var store = http.Request.RouteValues["store"] as string;
        if (store is not null && !string.Equals(store, key.Store, StringComparison.Ordinal))
        {
            return Problems.Forbidden("this key does not belong to that store");
        }

        if (!key.Scopes.Contains(scope, StringComparer.Ordinal))
        {
            return Problems.Forbidden($"this key lacks the '{scope}' scope");
        }

        http.Items[KeyItem] = key;
        return await next(context);
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
