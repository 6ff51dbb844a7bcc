using System.Collections.Immutable;

namespace CustomerGrains.Grains.Quality;

/// <summary>
/// Customers one check finds, by id (the obsolete check: least recently active first); <see cref="Next"/> is where the
/// next page starts, null after the last.
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.QualityPage")]
public sealed record QualityPage(
    [property: Id(0)] ImmutableArray<QualityItem> Items,
    [property: Id(1)] string? Next);
