using Orleans.Runtime.Placement;

namespace CustomerGrains.Grains.Segments;

/// <summary>Tells every active silo that a store's catalog moved to a new version.</summary>
public static class SegmentCacheBroadcast
{
    public static async Task InvalidateAsync(IGrainFactory grains, string store, long catalogVersion)
    {
        var hosts = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        var calls = new List<Task>(hosts.Count);
        foreach (var silo in hosts.Keys)
        {
            RequestContext.Set(IPlacementDirector.PlacementHintKey, silo);
            try
            {
                calls.Add(grains.GetGrain<ISegmentCacheGrain>(silo.ToParsableString()).InvalidateAsync(store, catalogVersion));
            }
            finally
            {
                RequestContext.Remove(IPlacementDirector.PlacementHintKey);
            }
        }

        await Task.WhenAll(calls);
    }
}
