using System.Collections.Immutable;

namespace CustomerGrains.Grains.Quality;

/// <summary>
/// Groups of customers who share a duplicate key (of one field, or of any), the customers in them, and the first few
/// groups (ids, at most <see cref="QualityIndex.GroupIds"/> each).
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.DuplicateCount")]
public sealed record DuplicateCount(
    [property: Id(0)] string? Field,
    [property: Id(1)] long Groups,
    [property: Id(2)] long Customers,
    [property: Id(3)] ImmutableArray<ImmutableArray<string>> Examples);
