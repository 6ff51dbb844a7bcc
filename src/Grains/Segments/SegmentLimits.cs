namespace CustomerGrains.Grains.Segments;

public static class SegmentLimits
{
    public const int MaxSegmentsPerStore = 100;

    /// <summary>Member shards per segment; fixed per incarnation (stored in the definition).</summary>
    public const int DefaultShards = 8;

    /// <summary>Shards of a store's customer directory.</summary>
    public const int DirectoryShards = 16;

    public const int MaxPageSize = 1000;
}
