namespace CustomerGrains.Api.Auth;

/// <summary>
/// Who sent a request: the store its key belongs to, the key's scopes, and the key's rate-limit partition (the
/// hex SHA-256 of the key: one limit per key, with no secret kept in memory).
/// </summary>
public sealed record ApiCaller(string Store, IReadOnlySet<string> Scopes, string Partition)
{
    public const string Item = "cg.caller";

    /// <summary>The caller the key check found; only on routes that require a scope.</summary>
    public static ApiCaller Of(HttpContext context) => (ApiCaller)context.Items[Item]!;
}
