using System.Collections.Immutable;

namespace CustomerGrains.Grains.Quality;

/// <summary>
/// What one customer adds to its store's data-quality report (<see cref="QualityFacts.Of"/>): the known traits it lacks
/// (bits in <see cref="QualityChecks.Traits"/> order), the values it received that could not be read, its contradicting
/// traits, its duplicate keys and its last activity. Equal facts are equal member by member.
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.CustomerQuality")]
public sealed record CustomerQuality(
    [property: Id(0)] int Missing,
    [property: Id(1)] ImmutableArray<InvalidField> Invalid,
    [property: Id(2)] ImmutableArray<Contradiction> Contradictions,
    [property: Id(3)] ImmutableArray<DuplicateKey> Keys,
    [property: Id(4)] DateTimeOffset? LastActivity)
{
    public bool Equals(CustomerQuality? other) =>
        other is not null
        && Missing == other.Missing
        && LastActivity == other.LastActivity
        && Invalid.AsSpan().SequenceEqual(other.Invalid.AsSpan())
        && Contradictions.AsSpan().SequenceEqual(other.Contradictions.AsSpan())
        && Keys.AsSpan().SequenceEqual(other.Keys.AsSpan());

    public override int GetHashCode() => HashCode.Combine(Missing, LastActivity, Invalid.Length, Contradictions.Length, Keys.Length);
}
