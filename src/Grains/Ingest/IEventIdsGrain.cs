using System.Collections.Immutable;

namespace CustomerGrains.Grains.Ingest;

/// <summary>
/// One shard of a store's event-id claims (key <c>{store}/{shard}</c>): which customer each event id of the dedupe
/// window belongs to.
/// </summary>
[Alias("cg.IEventIdsGrain")]
public interface IEventIdsGrain : IGrainWithStringKey
{
    /// <summary>
    /// Claims each event id (<paramref name="ids"/>, fingerprints) for its customer (<paramref name="owners"/>, same
    /// positions); returns the positions refused because another customer holds the id.
    /// </summary>
    [Alias("Claim")]
    Task<ImmutableArray<int>> ClaimAsync(ImmutableArray<ulong> ids, ImmutableArray<ulong> owners);
}
