using System.Collections.Immutable;

namespace CustomerGrains.Grains.Prediction;

/// <summary>
/// One trained lookalike model of a store as its customers read it: the model, the rule of the population it scores
/// (a customer outside it has no score), and the features it reads (empty: all).
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.StoreLookalike")]
public sealed record StoreLookalike(
    [property: Id(0)] LookalikeModel Model,
    [property: Id(1)] string Population,
    [property: Id(2)] ImmutableArray<string> Features,
    [property: Id(3)] DateTimeOffset TrainedAt);
