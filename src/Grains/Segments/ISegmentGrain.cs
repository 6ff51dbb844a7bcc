using Orleans.Concurrency;

namespace CustomerGrains.Grains.Segments;

/// <summary>
/// The face of one segment (key: <c>{store}/{segment}</c>): exact count, member pages and checks gathered
/// from its shards, and the backfill of each new definition version over the store's existing customers.
/// </summary>
[Alias("cg.ISegmentGrain")]
public interface ISegmentGrain : IGrainWithStringKey
{
    /// <summary>Records the definition and binds the shards to its incarnation, before any silo evaluates it.</summary>
    [Alias("Prepare")]
    Task PrepareAsync(SegmentDefinition definition);

    /// <summary>Starts (or resumes) evaluating <paramref name="version"/> over existing customers.</summary>
    [Alias("StartBackfill")]
    Task StartBackfillAsync(long version, long catalogVersion);

    [Alias("Delete")]
    Task DeleteAsync();

    /// <summary>The pending version's backfill is complete: it becomes the serving one, atomically for queries.</summary>
    [Alias("Promote")]
    Task PromoteAsync(long version);

    /// <summary>The exact count, or null when the segment does not exist.</summary>
    [Alias("Count"), ReadOnly, AlwaysInterleave]
    Task<SegmentCount?> CountAsync();

    /// <summary>A page of members ordered by customer id, or null when the segment does not exist.</summary>
    [Alias("Members"), ReadOnly, AlwaysInterleave]
    Task<MemberPage?> MembersAsync(string? after, int limit);

    [Alias("Member"), ReadOnly, AlwaysInterleave]
    Task<MemberLookup> MemberAsync(string customerId);
}
