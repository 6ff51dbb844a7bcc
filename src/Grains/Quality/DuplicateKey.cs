namespace CustomerGrains.Grains.Quality;

/// <summary>
/// What two customers who are probably one person share: a hash of a normalised e-mail, phone or name and postal code
/// (<see cref="QualityFacts"/>), so that the store's report does not hold a second copy of the values.
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.DuplicateKey")]
public readonly record struct DuplicateKey([property: Id(0)] string Field, [property: Id(1)] string Hash);
