using CustomerGrains.Grains.Infrastructure;

namespace CustomerGrains.Grains.Deadlines;

public static class DeadlineShards
{
    public const int Count = 16;

    public static int Of(string customerId) => IdHash.Bucket(customerId, Count);

    public static IDeadlineGrain Grain(IGrainFactory grains, string store, int shard) =>
        grains.Get<IDeadlineGrain>($"{store}/{shard}");
}
