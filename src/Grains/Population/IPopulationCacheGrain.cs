namespace CustomerGrains.Grains.Population;

/// <summary>
/// One per silo (key: the silo's address, placed there by a placement hint): how a refit or a lookalike training reaches
/// every silo's <see cref="PopulationCache"/> at once, so that what is decided right after it (a backfill, a ranking)
/// reads the new models instead of waiting out the cache.
/// </summary>
[Alias("cg.IPopulationCacheGrain")]
public interface IPopulationCacheGrain : IGrainWithStringKey
{
    [Alias("Forget")]
    Task ForgetAsync(string store);
}
