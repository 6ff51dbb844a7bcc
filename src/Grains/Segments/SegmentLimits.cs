namespace CustomerGrains.Grains.Segments;

public static class SegmentLimits
{
    public const int MaxSegmentsPerStore = 100;

    /// <summary>Member shards per segment; fixed per incarnation (stored in the definition).</summary>
    public const int DefaultShards = 8;

    public const int MaxPageSize = 1000;
}
