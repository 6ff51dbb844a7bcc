using System.Collections.Immutable;

namespace CustomerGrains.Grains.Models;

/// <summary>
/// A lookalike model as a store defines it: learn what separates the members of <see cref="Seed"/> (a segment id) from
/// the store's other customers, and score the customers <see cref="Population"/> (a rule) selects. <see cref="Features"/>:
/// the variables it may use (empty: all of <c>Evaluation/LookalikeFeatures</c>).
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.LookalikeDraft")]
public sealed record LookalikeDraft(
    [property: Id(0)] string Id,
    [property: Id(1)] string Seed,
    [property: Id(2)] string Population,
    [property: Id(3)] ImmutableArray<string> Features);
