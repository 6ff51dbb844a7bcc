using System.Collections.Immutable;

namespace CustomerGrains.Grains.Segments;

/// <summary>How many of the store's customers a draft rule matches now, and the first few of them.</summary>
[GenerateSerializer, Immutable, Alias("cg.SegmentPreview")]
public sealed record SegmentPreview(
    [property: Id(0)] long Count,
    [property: Id(1)] long Evaluated,
    [property: Id(2)] ImmutableArray<string> Sample,
    [property: Id(3)] DateTimeOffset AsOf);
