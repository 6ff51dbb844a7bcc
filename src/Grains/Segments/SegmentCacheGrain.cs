using Orleans.Concurrency;
using Orleans.Placement;

namespace CustomerGrains.Grains.Segments;

[RandomPlacement, Reentrant]
public sealed class SegmentCacheGrain(CatalogVersions versions) : Grain, ISegmentCacheGrain
{
    public Task InvalidateAsync(string store, long catalogVersion)
    {
        versions.Raise(store, catalogVersion);
        return Task.CompletedTask;
    }
}
