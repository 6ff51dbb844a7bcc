namespace CustomerGrains.Grains.Quality;

/// <summary>Two traits of one profile that cannot both be true (<see cref="QualityChecks.ContradictionKinds"/>), with what disagrees.</summary>
[GenerateSerializer, Immutable, Alias("cg.Contradiction")]
public readonly record struct Contradiction([property: Id(0)] string Kind, [property: Id(1)] string Detail);
