using System.Collections.Immutable;

namespace CustomerGrains.Grains.Segments;

/// <summary>All live definitions of a store at one catalog version; what silos cache and compile.</summary>
[GenerateSerializer, Immutable, Alias("cg.CatalogSnapshot")]
public sealed record CatalogSnapshot(
    [property: Id(0)] long Version,
    [property: Id(1)] ImmutableArray<SegmentDefinition> Segments);
