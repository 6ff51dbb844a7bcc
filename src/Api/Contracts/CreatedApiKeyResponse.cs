namespace CustomerGrains.Api.Contracts;

/// <summary>The answer to creating a key: the only time <c>Key</c> (the secret) is shown.</summary>
public sealed record CreatedApiKeyResponse(string Id, string Key, string? Name, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt, string Prefix);
