using CustomerGrains.Grains.Infrastructure;
using CustomerGrains.Grains.Segments;

namespace CustomerGrains.Grains.Directories;

/// <summary>Where a customer's directory entry lives.</summary>
public static class CustomerDirectory
{
    public static ICustomerDirectoryGrain ShardOf(IGrainFactory grains, string store, string customerId) =>
        grains.GetGrain<ICustomerDirectoryGrain>(
            GrainKeys.DirectoryShard(store, IdHash.Bucket(customerId, SegmentLimits.DirectoryShards)));

    public static IEnumerable<ICustomerDirectoryGrain> AllShards(IGrainFactory grains, string store) =>
        Enumerable.Range(0, SegmentLimits.DirectoryShards)
            .Select(shard => grains.GetGrain<ICustomerDirectoryGrain>(GrainKeys.DirectoryShard(store, shard)));
}
