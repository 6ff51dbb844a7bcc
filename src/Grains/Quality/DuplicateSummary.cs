using System.Collections.Immutable;

namespace CustomerGrains.Grains.Quality;

/// <summary>The duplicates check: any key (groups summed over the fields, customers counted once), and per field.</summary>
[GenerateSerializer, Immutable, Alias("cg.DuplicateSummary")]
public sealed record DuplicateSummary(
    [property: Id(0)] DuplicateCount Any,
    [property: Id(1)] ImmutableArray<DuplicateCount> Fields);
