using System.Collections.Immutable;

namespace CustomerGrains.Grains.Quality;

/// <summary>
/// One customer a check finds, with what it found (only the part of the check asked for is filled): the key traits it
/// lacks, its unreadable values, its duplicate groups, its last activity, its contradictions.
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.QualityItem")]
public sealed record QualityItem(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] ImmutableArray<string> Missing = default,
    [property: Id(2)] ImmutableArray<InvalidField> Invalid = default,
    [property: Id(3)] ImmutableArray<DuplicateGroup> Duplicates = default,
    [property: Id(4)] DateTimeOffset? LastActivity = null,
    [property: Id(5)] ImmutableArray<Contradiction> Contradictions = default);
