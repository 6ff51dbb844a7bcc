using System.Collections.Immutable;
using CustomerGrains.Grains.Feed;
using CustomerGrains.Grains.Infrastructure;
using CustomerGrains.Grains.Segments;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CustomerGrains.Grains.Webhooks;

public sealed class WebhookCatalogGrain(
    [PersistentState(StorageNames.WebhookCatalogState, StorageNames.Provider)] IPersistentState<WebhookCatalogState> state,
    WebhookDestinations destinations,
    [FromKeyedServices(EngineClock.Key)] TimeProvider time,
    ILogger<WebhookCatalogGrain> logger) : Grain, IWebhookCatalogGrain
{
    public const int MaxWebhooksPerStore = 20;

    private string Store => this.GetPrimaryKeyString();

    public async Task<WebhookCreated> CreateAsync(WebhookDraft draft)
    {
        if (state.State.Webhooks.ContainsKey(draft.Id))
        {
            return new WebhookCreated(null, $"a webhook with id '{draft.Id}' already exists");
        }

        if (state.State.Webhooks.Count >= MaxWebhooksPerStore)
        {
            return new WebhookCreated(null, $"a store can have at most {MaxWebhooksPerStore} webhooks; delete one first");
        }

        var catalog = await GrainFactory.GetGrain<ISegmentCatalogGrain>(Store).GetSnapshotAsync();
        if (draft.Segments.FirstOrDefault(s => !catalog.Segments.Any(d => d.Id == s)) is { } unknown)
        {
            return new WebhookCreated(null, $"no segment '{unknown}' in this store", "segments");
        }

        if (!WebhookSecret.TryParse(draft.Secret, out _))
        {
            return new WebhookCreated(null, $"must be {WebhookSecret.Prefix} and the base64 of {WebhookSecret.MinBytes}–{WebhookSecret.MaxBytes} bytes", "secret");
        }

        if (WebhookDestinations.Parse(draft.Url, out var url) is { } malformed)
        {
            return new WebhookCreated(null, malformed, "url");
        }

        if (await destinations.RefusedAsync(url!, CancellationToken.None) is { } refused)
        {
            return new WebhookCreated(null, refused, "url");
        }

        // Registered before it is stored: a crash between the two leaves a store to wake with nothing in it, never a webhook
        // that no silo wakes after a restart.
        await GrainFactory.GetGrain<IWebhookStoresGrain>(IWebhookStoresGrain.Key).AddAsync(Store);
        var start = await GrainFactory.GetGrain<IChangeFeedGrain>(Store).LatestAsync();
        var info = new WebhookInfo(draft.Id, url!.AbsoluteUri, draft.Segments, draft.Kinds, time.GetUtcNow());
        state.State.Webhooks[draft.Id] = new WebhookDefinition(info, draft.Secret, Guid.NewGuid(), start);
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // Not stored, so not created.
            state.State.Webhooks.Remove(draft.Id);
            throw;
        }

        await StartAsync(draft.Id);
        return new WebhookCreated(info);
    }

    public Task<ImmutableArray<WebhookInfo>> ListAsync() =>
        Task.FromResult(state.State.Webhooks.Values.Select(w => w.Info).OrderBy(w => w.Id, StringComparer.Ordinal).ToImmutableArray());

    public Task<WebhookInfo?> GetAsync(string id) => Task.FromResult(state.State.Webhooks.GetValueOrDefault(id)?.Info);

    public Task<WebhookDefinition?> DefinitionAsync(string id) => Task.FromResult(state.State.Webhooks.GetValueOrDefault(id));

    public async Task<bool> DeleteAsync(string id)
    {
        if (!state.State.Webhooks.TryGetValue(id, out var removed))
        {
            return false;
        }

        // Stopped first: a deliverer that missed this (its silo died) finds no definition when it next looks and forgets its
        // progress then.
        await Deliverer(id).StopAsync();
        state.State.Webhooks.Remove(id);
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State.Webhooks[id] = removed;
            throw;
        }

        if (state.State.Webhooks.Count == 0)
        {
            await GrainFactory.GetGrain<IWebhookStoresGrain>(IWebhookStoresGrain.Key).RemoveAsync(Store);
        }

        return true;
    }

    public async Task WakeAsync()
    {
        foreach (var id in state.State.Webhooks.Keys.ToList())
        {
            await StartAsync(id);
        }
    }

    private async Task StartAsync(string id)
    {
        try
        {
            await Deliverer(id).StartAsync();
        }
        catch (Exception error)
        {
            // The webhook is stored; the keeper starts its deliverer on its next round.
            logger.LogWarning("Starting the deliverer of a webhook of store {Store} failed: {Error}", Store, ErrorSummary.Of(error));
        }
    }

    private IWebhookDeliveryGrain Deliverer(string id) => GrainFactory.GetGrain<IWebhookDeliveryGrain>(WebhookKeys.Deliverer(Store, id));
}
