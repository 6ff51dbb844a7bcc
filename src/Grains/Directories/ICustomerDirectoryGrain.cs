using System.Collections.Immutable;
using Orleans.Concurrency;

namespace CustomerGrains.Grains.Directories;

/// <summary>
/// The known customer ids of one hash range of a store (key: <c>{store}/{shard}</c>): what backfills walk.
/// A derived index — customers register themselves once, on their first event.
/// </summary>
[Alias("cg.ICustomerDirectoryGrain")]
public interface ICustomerDirectoryGrain : IGrainWithStringKey
{
    [Alias("Add"), AlwaysInterleave]
    Task AddAsync(string customerId);

    [Alias("Remove"), AlwaysInterleave]
    Task RemoveAsync(string customerId);

    [Alias("Count"), ReadOnly, AlwaysInterleave]
    Task<long> CountAsync();

    [Alias("Page"), ReadOnly, AlwaysInterleave]
    Task<ImmutableArray<string>> PageAsync(string? after, int limit);
}
