using System.Collections.Immutable;
using Orleans.Concurrency;

namespace CustomerGrains.Grains.Webhooks;

/// <summary>
/// The stores that have webhooks (one grain, key <see cref="Key"/>): what <see cref="WebhookKeeper"/> reads at a silo's start
/// to wake their deliverers.
/// </summary>
[Alias("cg.IWebhookStoresGrain")]
public interface IWebhookStoresGrain : IGrainWithStringKey
{
    public const string Key = "all";

    [Alias("Add")]
    Task AddAsync(string store);

    [Alias("Remove")]
    Task RemoveAsync(string store);

    [Alias("List"), ReadOnly, AlwaysInterleave]
    Task<ImmutableArray<string>> ListAsync();
}
