using System.Collections.Immutable;

namespace CustomerGrains.Grains.Quality;

/// <summary>How many customers one check (or one of its fields) finds, and the first few of them by id.</summary>
[GenerateSerializer, Immutable, Alias("cg.QualityCount")]
public sealed record QualityCount(
    [property: Id(0)] string? Field,
    [property: Id(1)] long Count,
    [property: Id(2)] ImmutableArray<string> Examples);
