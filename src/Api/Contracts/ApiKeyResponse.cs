using CustomerGrains.Grains.ApiKeys;

namespace CustomerGrains.Api.Contracts;

/// <summary>A created key as listed: never its secret. <c>Prefix</c> is the start of the key, to tell keys apart.</summary>
public sealed record ApiKeyResponse(string Id, string? Name, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt, string Prefix)
{
    public static ApiKeyResponse From(ApiKeyInfo info) => new(info.Id, info.Name, info.Scopes, info.CreatedAt, info.Prefix);
}
