namespace CustomerGrains.Grains.Segments;

/// <summary>
/// One per silo (key: the silo's address), placed on that silo by a placement hint: the way a catalog
/// change reaches every silo's <see cref="CatalogVersions"/>.
/// </summary>
[Alias("cg.ISegmentCacheGrain")]
public interface ISegmentCacheGrain : IGrainWithStringKey
{
    [Alias("Invalidate")]
    Task InvalidateAsync(string store, long catalogVersion);
}
