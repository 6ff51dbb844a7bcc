using System.Collections.Concurrent;
using System.Collections.Immutable;
using CustomerGrains.Contracts.Validation;
using CustomerGrains.Grains.ApiKeys;
using Microsoft.Extensions.Options;

namespace CustomerGrains.Api.Auth;

/// <summary>
/// Finds the caller behind a presented key by the key's SHA-256, so no plaintext is kept and a lookup does not
/// leak a key's prefix through timing. Configured keys are hashed at start-up; created keys are checked with
/// their store's <see cref="IApiKeyGrain"/> and the answer reused for <see cref="ApiKeyOptions.ApiKeyCache"/>, so
/// requests on the hot path make no extra grain call.
/// </summary>
public sealed class ApiKeyRegistry
{
    /// <summary>Lookups remembered at most; beyond it (a flood of made-up keys) answers are not cached.</summary>
    private const int MaxCached = 10_000;

    private readonly Dictionary<string, ApiCaller> _configured = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Cached> _cache = new(StringComparer.Ordinal);
    private readonly IGrainFactory _grains;
    private readonly TimeProvider _time;
    private readonly TimeSpan _ttl;

    public ApiKeyRegistry(IOptions<ApiKeyOptions> options, IGrainFactory grains, TimeProvider time)
    {
        (_grains, _time, _ttl) = (grains, time, options.Value.ApiKeyCache);
        if (_ttl < TimeSpan.Zero)
        {
            throw new OptionsValidationException(ApiKeyOptions.Section, typeof(ApiKeyOptions), ["ApiKeyCache must not be negative"]);
        }

        foreach (var key in options.Value.ApiKeys)
        {
            var unknown = key.Scopes.Where(s => !Scopes.All.Contains(s)).ToList();
            if (string.IsNullOrWhiteSpace(key.Key) || !Ids.IsStore(key.Store) || unknown.Count > 0)
            {
                throw new OptionsValidationException(
                    ApiKeyOptions.Section, typeof(ApiKeyOptions), [$"API key for store '{key.Store}' needs a key, a store id matching [a-z0-9][a-z0-9-]{{0,62}} and known scopes (unknown: {string.Join(", ", unknown)})"]);
            }

            var hash = Convert.ToHexString(ApiKeyFormat.Hash(key.Key));
            _configured[hash] = new ApiCaller(key.Store, key.Scopes.ToHashSet(StringComparer.Ordinal), hash);
        }
    }

    /// <summary>The caller, or null when the key is not one this Api accepts.</summary>
    public async ValueTask<ApiCaller?> FindAsync(string presented)
    {
        var hashBytes = ApiKeyFormat.Hash(presented);
        var hash = Convert.ToHexString(hashBytes);
        if (_configured.TryGetValue(hash, out var configured))
        {
            return configured;
        }

        if (!ApiKeyFormat.TryParse(presented, out var store, out var id))
        {
            return null;
        }

        var now = _time.GetUtcNow();
        if (_cache.TryGetValue(hash, out var cached) && cached.Until > now)
        {
            return await cached.Lookup;
        }

        var entry = new Cached(store, id, LookupAsync(store, id, hashBytes, hash), now + _ttl);
        if (_ttl > TimeSpan.Zero && (_cache.Count < MaxCached || Prune(now)))
        {
            _cache[hash] = entry;
        }

        try
        {
            return await entry.Lookup;
        }
        catch
        {
            // A cluster hiccup is not an answer: the next request asks again.
            _cache.TryRemove(new KeyValuePair<string, Cached>(hash, entry));
            throw;
        }
    }

    /// <summary>A key revoked here stops working here at once; other Apis follow within the cache bound.</summary>
    public void Forget(string store, string id)
    {
        foreach (var (hash, cached) in _cache)
        {
            if (cached.Store == store && cached.Id == id)
            {
                _cache.TryRemove(hash, out _);
            }
        }
    }

    private async Task<ApiCaller?> LookupAsync(string store, string id, byte[] hashBytes, string hash)
    {
        var info = await _grains.GetGrain<IApiKeyGrain>(store).FindAsync(id, ImmutableArray.Create(hashBytes));
        return info is null ? null : new ApiCaller(store, info.Scopes.ToHashSet(StringComparer.Ordinal), hash);
    }

    private bool Prune(DateTimeOffset now)
    {
        foreach (var (hash, cached) in _cache)
        {
            if (cached.Until <= now)
            {
                _cache.TryRemove(hash, out _);
            }
        }

        return _cache.Count < MaxCached;
    }

    private sealed record Cached(string Store, string Id, Task<ApiCaller?> Lookup, DateTimeOffset Until);
}
