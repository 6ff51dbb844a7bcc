using System.Security.Cryptography;

namespace CustomerGrains.Grains.Webhooks;

/// <summary>
/// A webhook's signing secret as Standard Webhooks writes it: <c>whsec_</c> and the base64 of the key's bytes (24 to 64 of
/// them). Pure.
/// </summary>
public static class WebhookSecret
{
    public const string Prefix = "whsec_";
    public const int MinBytes = 24;
    public const int MaxBytes = 64;

    /// <summary>A new secret of 32 random bytes.</summary>
    public static string Generate() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>The key a secret stands for, when it is one.</summary>
    public static bool TryParse(string? secret, out byte[] key)
    {
        key = [];
        if (secret is null || !secret.StartsWith(Prefix, StringComparison.Ordinal) || secret.Length > Prefix.Length + 4 * ((MaxBytes + 2) / 3))
        {
            return false;
        }

        var buffer = new byte[MaxBytes + 3];
        if (!Convert.TryFromBase64String(secret[Prefix.Length..], buffer, out var written) || written is < MinBytes or > MaxBytes)
        {
            return false;
        }

        key = buffer[..written];
        return true;
    }
}
