using System.Collections.Concurrent;
using CustomerGrains.Grains.Classification;
using CustomerGrains.Grains.Infrastructure;
using Microsoft.Extensions.Options;

namespace CustomerGrains.Grains.Population;

/// <summary>
/// Per silo: each store's cut points, asked for again after <see cref="ClassificationOptions.CacheFor"/> of the host's
/// own clock (the unkeyed <see cref="TimeProvider"/>, like Orleans' timeouts): how long a copy may be reused is a matter
/// of real time, not of the engine's clock (<see cref="EngineClock"/>), which tests move by days.
/// </summary>
public sealed class PopulationCache(IGrainFactory grains, IOptions<ClassificationOptions> options, TimeProvider host)
{
    private readonly ConcurrentDictionary<string, (PopulationThresholds Thresholds, long At)> _cache = new(StringComparer.Ordinal);

    /// <summary>The next read asks the store's population grain again (its models changed).</summary>
    public void Forget(string store) => _cache.TryRemove(store, out _);

    public async ValueTask<PopulationThresholds> GetAsync(string store)
    {
        var now = host.GetTimestamp();
        if (_cache.TryGetValue(store, out var cached) && host.GetElapsedTime(cached.At, now) < options.Value.CacheFor)
        {
            return cached.Thresholds;
        }

        var thresholds = await grains.Get<IPopulationGrain>(store).GetThresholdsAsync();
        _cache[store] = (thresholds, now);
        return thresholds;
    }
}
