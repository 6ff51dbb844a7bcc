using CustomerGrains.Grains.Infrastructure;

namespace CustomerGrains.Grains.Segments;

/// <summary>Tells every active silo that a store's catalog moved to a new version.</summary>
public static class SegmentCacheBroadcast
{
    public static Task InvalidateAsync(IGrainFactory grains, string store, long catalogVersion) =>
        SiloBroadcast.ToEverySiloAsync<ISegmentCacheGrain>(grains, cache => cache.InvalidateAsync(store, catalogVersion));
}
