using System.Collections.Immutable;
using CustomerGrains.Grains.Infrastructure;

namespace CustomerGrains.Grains.Webhooks;

public sealed class WebhookStoresGrain(
    [PersistentState(StorageNames.WebhookStoresState, StorageNames.Provider)] IPersistentState<WebhookStoresState> state) : Grain, IWebhookStoresGrain
{
    public async Task AddAsync(string store)
    {
        if (state.State.Stores.Add(store))
        {
            try
            {
                await state.WriteStateAsync();
            }
            catch
            {
                state.State.Stores.Remove(store);
                throw;
            }
        }
    }

    public async Task RemoveAsync(string store)
    {
        if (state.State.Stores.Remove(store))
        {
            try
            {
                await state.WriteStateAsync();
            }
            catch
            {
                state.State.Stores.Add(store);
                throw;
            }
        }
    }

    public Task<ImmutableArray<string>> ListAsync() => Task.FromResult(state.State.Stores.Order(StringComparer.Ordinal).ToImmutableArray());
}
