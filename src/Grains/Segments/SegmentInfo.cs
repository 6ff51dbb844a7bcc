namespace CustomerGrains.Grains.Segments;

/// <summary>A segment as clients see it: its current definition and how far its backfill has got.</summary>
[GenerateSerializer, Immutable, Alias("cg.SegmentInfo")]
public sealed record SegmentInfo(
    [property: Id(0)] SegmentDefinition Definition,
    [property: Id(1)] BackfillStatus Backfill);
