using System.Collections.Immutable;
using Orleans.Concurrency;

namespace CustomerGrains.Grains.ApiKeys;

/// <summary>
/// The API keys created for one store (key: store id). Only each key's SHA-256 is stored; the secret is
/// shown once, by the Api that generated it, and never crosses the wire.
/// </summary>
[Alias("cg.IApiKeyGrain")]
public interface IApiKeyGrain : IGrainWithStringKey
{
    /// <summary>Stores a new key, or says why not (its id is taken, or the store has too many keys).</summary>
    [Alias("Create")]
    Task<ApiKeyCreated> CreateAsync(ApiKeyDraft draft);

    [Alias("List"), ReadOnly, AlwaysInterleave]
    Task<ImmutableArray<ApiKeyInfo>> ListAsync();

    /// <summary>False when the store has no key with that id.</summary>
    [Alias("Revoke")]
    Task<bool> RevokeAsync(string keyId);

    /// <summary>The key's scopes when <paramref name="hash"/> is the hash of the key with that id, else null.</summary>
    [Alias("Find"), ReadOnly, AlwaysInterleave]
    Task<ApiKeyInfo?> FindAsync(string keyId, ImmutableArray<byte> hash);
}
