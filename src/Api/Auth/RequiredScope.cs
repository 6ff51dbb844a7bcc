namespace CustomerGrains.Api.Auth;

/// <summary>Endpoint metadata: the scope a key needs for this route (see <see cref="ApiKeyMiddleware"/>).</summary>
public sealed record RequiredScope(string Scope);
