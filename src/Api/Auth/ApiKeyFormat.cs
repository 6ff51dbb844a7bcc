using System.Security.Cryptography;
using System.Text;
using CustomerGrains.Contracts.Validation;

namespace CustomerGrains.Api.Auth;

/// <summary>
/// Created keys read <c>cgk_{store}_{id}_{secret}</c>: a recognisable prefix (secret scanners can match it), the
/// store that finds the key's grain, a public id (to list and revoke), and 256 bits from a CSPRNG.
/// </summary>
public static class ApiKeyFormat
{
    public const string Prefix = "cgk_";
    private const int IdBytes = 8;
    private const int SecretBytes = 32;

    /// <summary>A new key; <c>Public</c> is the part that may be shown again (prefix, store and id).</summary>
    public static (string Id, string Key, string Public) Generate(string store)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(IdBytes));
        var visible = $"{Prefix}{store}_{id}";
        return (id, $"{visible}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(SecretBytes))}", visible);
    }

    public static bool TryParse(string key, out string store, out string id)
    {
        store = id = "";
        if (!key.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = key[Prefix.Length..].Split('_');
        if (parts.Length != 3 || !Ids.IsStore(parts[0]) || !IsId(parts[1]) || parts[2].Length != SecretBytes * 2 || !parts[2].All(char.IsAsciiHexDigitLower))
        {
            return false;
        }

        (store, id) = (parts[0], parts[1]);
        return true;
    }

    public static bool IsId(string id) => id.Length == IdBytes * 2 && id.All(char.IsAsciiHexDigitLower);

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
