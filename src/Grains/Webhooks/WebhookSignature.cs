using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CustomerGrains.Grains.Webhooks;

/// <summary>
/// The Standard Webhooks signature (<c>v1</c>): HMAC-SHA256 with the secret's key over <c>{webhook-id}.{webhook-timestamp}.{body}</c>,
/// in base64, after <c>v1,</c>. Written here with <see cref="HMACSHA256"/> rather than taken from the StandardWebhooks package:
/// that package depends on ASP.NET Core, which the grains project must not reference (ARCHITECTURE: Projects). The tests'
/// receiver verifies every delivery with the package, so it checks this code. Pure.
/// </summary>
public static class WebhookSignature
{
    public static string Sign(ReadOnlySpan<byte> key, string messageId, long unixSeconds, ReadOnlySpan<byte> body)
    {
        var head = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{messageId}.{unixSeconds}."));
        var signed = new byte[head.Length + body.Length];
        head.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(head.Length));
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed));
    }
}
