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
}
