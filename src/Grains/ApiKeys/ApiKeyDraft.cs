using System.Collections.Immutable;

namespace CustomerGrains.Grains.ApiKeys;

/// <summary>A key the Api generated: its public id, the SHA-256 of the whole key, and what it may do.</summary>
[GenerateSerializer, Immutable, Alias("cg.ApiKeyDraft")]
public sealed record ApiKeyDraft(
    [property: Id(0)] string Id,
    [property: Id(1)] string? Name,
    [property: Id(2)] ImmutableArray<string> Scopes,
    [property: Id(3)] ImmutableArray<byte> Hash,
    [property: Id(4)] string Prefix);
