using Orleans.Concurrency;

namespace CustomerGrains.Grains.Feed;

/// <summary>A store's change feed (key: store id): membership changes in journal order, read back from the journal.</summary>
[Alias("cg.IChangeFeedGrain")]
public interface IChangeFeedGrain : IGrainWithStringKey
{
    [Alias("Read"), ReadOnly]
    Task<ChangePage> ReadAsync(ChangeQuery query);

    /// <summary>The cursor after the store's last settled change, or null when the feed holds none (then every change is after the start).</summary>
    [Alias("Latest"), ReadOnly]
    Task<ChangeCursor?> LatestAsync();
}
