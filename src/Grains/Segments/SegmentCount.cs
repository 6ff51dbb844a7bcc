namespace CustomerGrains.Grains.Segments;

/// <summary>The exact member count at <see cref="AsOf"/>.</summary>
[GenerateSerializer, Immutable, Alias("cg.SegmentCount")]
public sealed record SegmentCount([property: Id(0)] long Count, [property: Id(1)] DateTimeOffset AsOf);
