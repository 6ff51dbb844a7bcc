using System.Collections.Immutable;
using Orleans.Concurrency;

namespace CustomerGrains.Grains.Segments;

/// <summary>
/// The exact member set of one hash range of a segment's customers (key: <c>{store}/{segment}/{shard}</c>).
/// Records what customers decide, idempotently and in each customer's decision order; changes for another
/// incarnation are ignored.
/// </summary>
/// <remarks>Every method is one synchronous in-memory step, so interleaving them is safe.</remarks>
[Alias("cg.ISegmentShardGrain")]
public interface ISegmentShardGrain : IGrainWithStringKey
{
    /// <summary>Binds the shard to an incarnation, dropping members of any other.</summary>
    [Alias("Prepare"), AlwaysInterleave]
    Task PrepareAsync(Guid segmentUid);

    [Alias("Apply"), AlwaysInterleave]
    Task ApplyAsync(ImmutableArray<MembershipChange> changes);

    [Alias("Clear"), AlwaysInterleave]
    Task ClearAsync();

    [Alias("Count"), ReadOnly, AlwaysInterleave]
    Task<long> CountAsync();

    /// <summary>Up to <paramref name="limit"/> members with customer id greater than <paramref name="after"/>, ordered by id.</summary>
    [Alias("Page"), ReadOnly, AlwaysInterleave]
    Task<ImmutableArray<SegmentMember>> PageAsync(string? after, int limit);

    [Alias("Member"), ReadOnly, AlwaysInterleave]
    Task<SegmentMember?> GetMemberAsync(string customerId);
}
