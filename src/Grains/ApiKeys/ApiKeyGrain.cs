using System.Collections.Immutable;
using System.Security.Cryptography;
using CustomerGrains.Grains.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerGrains.Grains.ApiKeys;

public sealed class ApiKeyGrain(
    [PersistentState(StorageNames.ApiKeyState, StorageNames.Provider)] IPersistentState<ApiKeyState> state,
    [FromKeyedServices(EngineClock.Key)] TimeProvider time) : Grain, IApiKeyGrain
{
    public const int MaxKeysPerStore = 100;

    public async Task<ApiKeyCreated> CreateAsync(ApiKeyDraft draft)
    {
        if (state.State.Keys.ContainsKey(draft.Id))
        {
            return new ApiKeyCreated(null, $"a key with id '{draft.Id}' already exists");
        }

        if (state.State.Keys.Count >= MaxKeysPerStore)
        {
            return new ApiKeyCreated(null, $"a store can have at most {MaxKeysPerStore} keys; revoke one first");
        }

        var info = new ApiKeyInfo(draft.Id, draft.Name, draft.Scopes, time.GetUtcNow(), draft.Prefix);
        state.State.Keys[draft.Id] = new StoredApiKey(info, draft.Hash);
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // Not stored, so not created: a key that works only until this activation ends would be a surprise.
            state.State.Keys.Remove(draft.Id);
            throw;
        }

        return new ApiKeyCreated(info, null);
    }

    public Task<ImmutableArray<ApiKeyInfo>> ListAsync() =>
        Task.FromResult(state.State.Keys.Values.Select(k => k.Info).OrderBy(k => k.CreatedAt).ThenBy(k => k.Id, StringComparer.Ordinal).ToImmutableArray());

    public async Task<bool> RevokeAsync(string keyId)
    {
        if (!state.State.Keys.Remove(keyId, out var revoked))
        {
            return false;
        }

        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // The caller is told the revocation failed; the key must not seem revoked until a restart brings it back.
            state.State.Keys[keyId] = revoked;
            throw;
        }

        return true;
    }

    public Task<ApiKeyInfo?> FindAsync(string keyId, ImmutableArray<byte> hash)
    {
        var match = state.State.Keys.TryGetValue(keyId, out var stored)
            && CryptographicOperations.FixedTimeEquals(stored.Hash.AsSpan(), hash.AsSpan());
        return Task.FromResult(match ? stored!.Info : null);
    }
}
