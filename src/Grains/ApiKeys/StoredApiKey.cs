using System.Collections.Immutable;

namespace CustomerGrains.Grains.ApiKeys;

/// <summary>A key as stored: its public description and the SHA-256 of the key.</summary>
[GenerateSerializer, Alias("cg.StoredApiKey")]
public sealed record StoredApiKey(
    [property: Id(0)] ApiKeyInfo Info,
    [property: Id(1)] ImmutableArray<byte> Hash);
