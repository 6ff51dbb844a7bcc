namespace CustomerGrains.Grains.Quality;

/// <summary>
/// What two customers who are probably one person share: 128 bits of a hash of a normalised e-mail, phone or name and
/// postal code (<see cref="QualityFacts"/>), so that the store's report holds no second copy of the values, in 16 bytes.
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.DuplicateKey")]
public readonly record struct DuplicateKey([property: Id(0)] string Field, [property: Id(1)] ulong High, [property: Id(2)] ulong Low)
{
    public UInt128 Hash => new(High, Low);
}
