using System.Collections.Immutable;

namespace CustomerGrains.Grains.Quality;

/// <summary>A check of the report: the customers it finds in any field, and per field.</summary>
[GenerateSerializer, Immutable, Alias("cg.QualityCheckSummary")]
public sealed record QualityCheckSummary(
    [property: Id(0)] QualityCount Any,
    [property: Id(1)] ImmutableArray<QualityCount> Fields);
