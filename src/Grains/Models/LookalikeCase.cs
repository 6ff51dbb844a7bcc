using System.Collections.Immutable;
using CustomerGrains.Grains.Prediction;

namespace CustomerGrains.Grains.Models;

/// <summary>What a customer tells a lookalike training about itself: its features now and whether it is in the seed segment.</summary>
[GenerateSerializer, Immutable, Alias("cg.LookalikeCase")]
public sealed record LookalikeCase(
    [property: Id(0)] ImmutableDictionary<string, ImmutableArray<string>> Categories,
    [property: Id(1)] ImmutableDictionary<string, double> Numbers,
    [property: Id(2)] bool InSeed)
{
    public static LookalikeCase Of(LookalikeSubject subject, bool inSeed) => new(
        subject.Categories.ToImmutableDictionary(c => c.Key, c => c.Value.ToImmutableArray(), StringComparer.Ordinal),
        subject.Numbers.ToImmutableDictionary(StringComparer.Ordinal),
        inSeed);

    public LookalikeExample Example() => new(
        new LookalikeSubject(Categories.ToDictionary(c => c.Key, c => (IReadOnlyList<string>)c.Value, StringComparer.Ordinal), Numbers),
        InSeed);
}
