using CustomerGrains.Grains.Infrastructure;

namespace CustomerGrains.Grains.Segments;

/// <summary>
/// A segment's holdout: the share of its members kept as a control group, whom activation tools leave out so that the
/// segment's effect can be measured against them. Whether a customer is control depends only on (store, segment id,
/// customer id): the stable hash of <c>holdout/{store}/{segment}/{customer}</c> (<see cref="IdHash"/>, the same in every
/// process and release) taken modulo 100 is the customer's bucket, and buckets below the segment's percentage are
/// control. So a customer keeps its answer as it leaves and re-enters, across versions of the segment, and raising the
/// share only adds control customers.
/// </summary>
public static class Holdout
{
    /// <summary>The largest share a segment may hold out, in percent.</summary>
    public const int MaxPercent = 50;

    /// <summary>The customer's bucket in [0, 100) for the segment: control while the bucket is below the holdout percentage.</summary>
    public static int Bucket(string store, string segmentId, string customerId) =>
        // Store and segment ids never contain '/', so the text names one (store, segment, customer) only; the prefix keeps
        // the bucket independent of the shard a customer's id hashes to.
        (int)(IdHash.Of($"holdout/{store}/{segmentId}/{customerId}") % 100);

    /// <summary>Whether the customer is in the control group of a segment holding out <paramref name="percent"/> % of its members.</summary>
    public static bool IsControl(string store, string segmentId, string customerId, int percent) =>
        percent > 0 && Bucket(store, segmentId, customerId) < percent;
}
