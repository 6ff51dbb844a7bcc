namespace CustomerGrains.Grains.Quality;

/// <summary>What a store's report holds of one customer: its facts and the version they are of.</summary>
[GenerateSerializer, Immutable, Alias("cg.QualityEntry")]
public sealed record QualityEntry([property: Id(0)] long Version, [property: Id(1)] CustomerQuality Facts);
