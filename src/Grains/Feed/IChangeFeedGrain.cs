using Orleans.Concurrency;

namespace CustomerGrains.Grains.Feed;

/// <summary>A store's change feed (key: store id): membership changes in journal order, read back from the journal.</summary>
[Alias("cg.IChangeFeedGrain")]
public interface IChangeFeedGrain : IGrainWithStringKey
{
    [Alias("Read"), ReadOnly]
    Task<ChangePage> ReadAsync(ChangeQuery query);
}
