using CustomerGrains.Grains.Infrastructure;
using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using CustomerGrains.Grains.Classification;

namespace CustomerGrains.Grains.Population;

/// <summary>Per silo: each store's cut points, asked for again after <see cref="ClassificationOptions.CacheFor"/>.</summary>
public sealed class PopulationCache(IGrainFactory grains, IOptions<ClassificationOptions> options)
{
    private readonly ConcurrentDictionary<string, (PopulationThresholds Thresholds, long At)> _cache = new(StringComparer.Ordinal);

    public async ValueTask<PopulationThresholds> GetAsync(string store)
    {
        var now = Environment.TickCount64;
        if (_cache.TryGetValue(store, out var cached) && now - cached.At < (long)options.Value.CacheFor.TotalMilliseconds)
        {
            return cached.Thresholds;
        }

        var thresholds = await grains.Get<IPopulationGrain>(store).GetThresholdsAsync();
        _cache[store] = (thresholds, now);
        return thresholds;
    }
}
