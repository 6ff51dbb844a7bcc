using Orleans.Runtime.Placement;

namespace CustomerGrains.Grains.Infrastructure;

/// <summary>
/// Calls one grain on every active silo: a grain keyed by the silo's address and placed there by a placement hint (its
/// class has random placement, which honours the hint). How a change reaches every silo's per-silo caches.
/// </summary>
public static class SiloBroadcast
{
    public static async Task ToEverySiloAsync<TGrain>(IGrainFactory grains, Func<TGrain, Task> call)
        where TGrain : IGrainWithStringKey
    {
        var hosts = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        var calls = new List<Task>(hosts.Count);
        foreach (var silo in hosts.Keys)
        {
            RequestContext.Set(IPlacementDirector.PlacementHintKey, silo);
            try
            {
                calls.Add(call(grains.GetGrain<TGrain>(silo.ToParsableString())));
            }
            finally
            {
                RequestContext.Remove(IPlacementDirector.PlacementHintKey);
            }
        }

        await Task.WhenAll(calls);
    }
}
