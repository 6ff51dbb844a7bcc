namespace CustomerGrains.Api.Auth;

public static class ScopeConventions
{
    /// <summary>Only keys with <paramref name="scope"/> for the route's store (or, without one, any store) may call it.</summary>
    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, string scope)
        where TBuilder : IEndpointConventionBuilder
    {
        if (!Scopes.All.Contains(scope))
        {
            throw new ArgumentException($"unknown scope '{scope}'", nameof(scope));
        }

        return builder.WithMetadata(new RequiredScope(scope));
    }

    /// <summary>Any valid key may call it, whatever its scopes (a route about the caller's own key).</summary>
    public static TBuilder RequireAnyKey<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(RequiredScope.AnyKey);
}
