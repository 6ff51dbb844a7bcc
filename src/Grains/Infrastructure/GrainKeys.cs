namespace CustomerGrains.Grains.Infrastructure;

/// <summary>
/// Grain keys are natural ids joined by '/': <c>{store}/{customer}</c>, <c>{store}/{segment}/{shard}</c>.
/// Store and segment ids never contain '/', so the customer id can be anything after the store.
/// </summary>
public static class GrainKeys
{
    public static string Customer(string store, string customerId) => $"{store}/{customerId}";

    public static (string Store, string CustomerId) ParseCustomer(string key)
    {
        var slash = key.IndexOf('/');
        return (key[..slash], key[(slash + 1)..]);
    }

    public static string Segment(string store, string segmentId) => $"{store}/{segmentId}";

    public static (string Store, string SegmentId) ParseSegment(string key)
    {
        var slash = key.IndexOf('/');
        return (key[..slash], key[(slash + 1)..]);
    }

    public static string SegmentShard(string store, string segmentId, int shard) => $"{store}/{segmentId}/{shard}";

    /// <summary>A shard of a store's event-id claims.</summary>
    public static string EventIds(string store, int shard) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{store}/{shard}");

    public static string StoreOf(string key) => key[..key.IndexOf('/')];
}
