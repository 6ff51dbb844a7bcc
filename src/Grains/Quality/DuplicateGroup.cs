using System.Collections.Immutable;

namespace CustomerGrains.Grains.Quality;

/// <summary>The customers who share one duplicate key: how many, and the first <see cref="QualityIndex.GroupIds"/> by id.</summary>
[GenerateSerializer, Immutable, Alias("cg.DuplicateGroup")]
public sealed record DuplicateGroup(
    [property: Id(0)] string Field,
    [property: Id(1)] int Size,
    [property: Id(2)] ImmutableArray<string> CustomerIds);
