using System.Collections.Immutable;
using Orleans.Concurrency;

namespace CustomerGrains.Grains.Webhooks;

/// <summary>
/// A store's webhooks (key: store id): their definitions, with the signing secrets, which only the deliverers read. Each
/// webhook delivers through its own <see cref="IWebhookDeliveryGrain"/>.
/// </summary>
[Alias("cg.IWebhookCatalogGrain")]
public interface IWebhookCatalogGrain : IGrainWithStringKey
{
    /// <summary>
    /// Stores a webhook and starts its deliveries from the feed's current end, or says why not: an unknown segment, a
    /// destination that may not be reached, an id taken, too many webhooks.
    /// </summary>
    [Alias("Create")]
    Task<WebhookCreated> CreateAsync(WebhookDraft draft);

    [Alias("List"), ReadOnly, AlwaysInterleave]
    Task<ImmutableArray<WebhookInfo>> ListAsync();

    [Alias("Get"), ReadOnly, AlwaysInterleave]
    Task<WebhookInfo?> GetAsync(string id);

    /// <summary>The whole definition, secret included: for the webhook's deliverer.</summary>
    [Alias("Definition"), ReadOnly, AlwaysInterleave]
    Task<WebhookDefinition?> DefinitionAsync(string id);

    /// <summary>Stops the webhook's deliveries, forgets its progress and removes it; false when there is none.</summary>
    [Alias("Delete")]
    Task<bool> DeleteAsync(string id);

    /// <summary>Makes sure each webhook's deliverer is active (after a restart, or when its silo died).</summary>
    [Alias("Wake")]
    Task WakeAsync();
}
