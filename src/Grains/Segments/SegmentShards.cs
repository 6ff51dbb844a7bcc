using CustomerGrains.Grains.Infrastructure;

namespace CustomerGrains.Grains.Segments;

/// <summary>Which shard of a segment holds a customer's membership.</summary>
public static class SegmentShards
{
    public static int Of(string customerId, int shards) => IdHash.Bucket(customerId, shards);

    /// <summary>Shard n of one version of a segment: keyed by the version's incarnation, <c>{store}/{segment}@{key}/{n}</c>.</summary>
    public static ISegmentShardGrain Grain(IGrainFactory grains, string store, SegmentDefinition definition, int shard) =>
        grains.Get<ISegmentShardGrain>(GrainKeys.SegmentShard(store, $"{definition.Id}@{definition.Key}", shard));
}
