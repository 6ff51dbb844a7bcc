using CustomerGrains.Grains.Infrastructure;

namespace CustomerGrains.Grains.Segments;

/// <summary>Which shard of a segment holds a customer's membership.</summary>
public static class SegmentShards
{
    public static int Of(string customerId, int shards) => IdHash.Bucket(customerId, shards);
}
