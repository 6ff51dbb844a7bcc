using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace CustomerGrains.Api.Auth;

/// <summary>
/// Looks keys up by their SHA-256, so the comparison does not leak a key's prefix through timing and the
/// live lookup table holds no plaintext.
/// </summary>
public sealed class ApiKeyRegistry
{
    private readonly Dictionary<string, ApiKey> _byHash;

    public ApiKeyRegistry(IOptions<ApiKeyOptions> options)
    {
        _byHash = new Dictionary<string, ApiKey>(StringComparer.Ordinal);
        foreach (var key in options.Value.ApiKeys)
        {
            var unknown = key.Scopes.Where(s => !Scopes.All.Contains(s)).ToList();
            if (string.IsNullOrWhiteSpace(key.Key) || !Validation.Ids.IsStore(key.Store) || unknown.Count > 0)
            {
                throw new OptionsValidationException(
                    ApiKeyOptions.Section, typeof(ApiKeyOptions), [$"API key for store '{key.Store}' needs a key, a store id matching [a-z0-9][a-z0-9-]{0,62} and known scopes (unknown: {string.Join(", ", unknown)})"]);
            }

            _byHash[Hash(key.Key)] = key;
        }
    }

    public ApiKey? Find(string presented) => _byHash.GetValueOrDefault(Hash(presented));

    private static string Hash(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
