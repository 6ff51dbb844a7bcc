namespace CustomerGrains.Grains.Segments;

[GenerateSerializer, Alias("cg.SegmentState")]
public sealed class SegmentState
{
    [Id(0)] public SegmentDefinition? Definition { get; set; }

    [Id(1)] public BackfillStatus? Backfill { get; set; }

    /// <summary>The catalog version that first contained <see cref="Backfill"/>'s definition version.</summary>
    [Id(2)] public long CatalogVersion { get; set; }

    /// <summary>An edited version being backfilled while <see cref="Definition"/> keeps serving.</summary>
    [Id(3)] public SegmentDefinition? Pending { get; set; }
}
