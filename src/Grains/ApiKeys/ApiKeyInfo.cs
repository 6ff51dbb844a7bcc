using System.Collections.Immutable;

namespace CustomerGrains.Grains.ApiKeys;

/// <summary>What may be shown of a stored key: never its secret nor its hash.</summary>
[GenerateSerializer, Immutable, Alias("cg.ApiKeyInfo")]
public sealed record ApiKeyInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] string? Name,
    [property: Id(2)] ImmutableArray<string> Scopes,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] string Prefix);
