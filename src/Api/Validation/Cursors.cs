using System.Text;

namespace CustomerGrains.Api.Validation;

/// <summary>Opaque paging cursors: the text a page ends at, base64url without padding; anything else is refused.</summary>
public static class Cursors
{
    public static string Encode(string text) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static bool TryDecode(string cursor, out string? text)
    {
        text = null;
        if (cursor.Length is 0 or > 512)
        {
            return false;
        }

        var base64 = cursor.Replace('-', '+').Replace('_', '/');
        base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
        var bytes = new byte[base64.Length];
        if (!Convert.TryFromBase64String(base64, bytes, out var written))
        {
            return false;
        }

        try
        {
            text = new UTF8Encoding(false, true).GetString(bytes, 0, written);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}
