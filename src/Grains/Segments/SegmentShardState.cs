namespace CustomerGrains.Grains.Segments;

[GenerateSerializer, Alias("cg.SegmentShardState")]
public sealed class SegmentShardState
{
    [Id(0)] public Guid SegmentUid { get; set; }

    [Id(1)] public Dictionary<string, MemberEntry> Members { get; set; } = new(StringComparer.Ordinal);
}
