using System.Collections.Immutable;

namespace CustomerGrains.Grains.Evaluation;

/// <summary>A customer's score (0–1) under one of its store's lookalike models, with the features that weigh most in it, in words.</summary>
[GenerateSerializer, Immutable, Alias("cg.CustomerLookalike")]
public sealed record CustomerLookalike(
    [property: Id(0)] string Id,
    [property: Id(1)] double Score,
    [property: Id(2)] ImmutableArray<string> Top);
