using System.Collections.Concurrent;

namespace CustomerGrains.Grains.Segments;

/// <summary>
/// Per silo: the catalog version each store requires. A catalog change raises it on every silo
/// (<see cref="SegmentCacheBroadcast"/>) before the change is acknowledged; whatever caches a store's catalog on the
/// silo reloads when its copy is older.
/// </summary>
public sealed class CatalogVersions
{
    private readonly ConcurrentDictionary<string, long> _required = new(StringComparer.Ordinal);

    public long Required(string store) => _required.GetValueOrDefault(store);

    public void Raise(string store, long catalogVersion) =>
        _required.AddOrUpdate(store, catalogVersion, (_, current) => Math.Max(current, catalogVersion));
}
