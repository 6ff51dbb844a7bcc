using Orleans.Concurrency;
using Orleans.Placement;

namespace CustomerGrains.Grains.Population;

[RandomPlacement, Reentrant]
public sealed class PopulationCacheGrain(PopulationCache cache) : Grain, IPopulationCacheGrain
{
    public Task ForgetAsync(string store)
    {
        cache.Forget(store);
        return Task.CompletedTask;
    }
}
