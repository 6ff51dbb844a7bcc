namespace CustomerGrains.Grains.Quality;

/// <summary>A normalised trait whose last value received could not be read, and why (never the value itself).</summary>
[GenerateSerializer, Immutable, Alias("cg.InvalidField")]
public readonly record struct InvalidField([property: Id(0)] string Field, [property: Id(1)] string Reason);
