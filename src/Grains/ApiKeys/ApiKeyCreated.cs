namespace CustomerGrains.Grains.ApiKeys;

/// <summary>The stored key, or why it was not stored.</summary>
[GenerateSerializer, Immutable, Alias("cg.ApiKeyCreated")]
public sealed record ApiKeyCreated(
    [property: Id(0)] ApiKeyInfo? Key,
    [property: Id(1)] string? Error);
