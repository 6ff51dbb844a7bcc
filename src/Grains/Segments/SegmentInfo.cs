namespace CustomerGrains.Grains.Segments;

/// <summary>
/// A segment as clients see it: the serving definition, an edited version being backfilled (if any),
/// and how far that backfill has got.
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.SegmentInfo")]
public sealed record SegmentInfo(
    [property: Id(0)] SegmentDefinition Definition,
    [property: Id(1)] BackfillStatus Backfill,
    [property: Id(2)] SegmentDefinition? Pending = null);
