namespace CustomerGrains.Grains.Models;

/// <summary>
/// A store's best and worst customers (key: store id), exact and live: read from the purchase index, which every
/// acknowledged order updates in its commit, and, for predictions, computed from it at the moment of the request.
/// </summary>
[Alias("cg.IRankingGrain")]
public interface IRankingGrain : IGrainWithStringKey
{
    [Alias("Rank")]
    Task<RankingPage> RankAsync(RankingQuery query);
}
