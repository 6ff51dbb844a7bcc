namespace CustomerGrains.Api.Auth;

/// <summary>
/// Endpoint metadata: the scope a key needs for this route (see <see cref="ApiKeyMiddleware"/>); an empty scope
/// (<see cref="AnyKey"/>) takes any valid key, whatever its scopes.
/// </summary>
public sealed record RequiredScope(string Scope)
{
    /// <summary>Any valid key will do: for routes that tell a caller about its own key.</summary>
    public static readonly RequiredScope AnyKey = new("");
}
