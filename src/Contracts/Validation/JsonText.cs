using System.Text.Json;

namespace CustomerGrains.Contracts.Validation;

/// <summary>Checks on JSON text that the parser lets through.</summary>
public static class JsonText
{
    /// <summary>
    /// Where a string or property name is invalid UTF-8 or escapes a lone surrogate (<c>"\ud800"</c>): the
    /// parser accepts both, but they are no text, and reading them throws wherever the Api would look. Null
    /// when every string decodes.
    /// </summary>
    public static long? UndecodableString(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 1024 });
        while (TryRead(ref reader))
        {
            // Plain ASCII without escapes always decodes: only the rest is transcoded to find out (the ingest
            // path reads every body through here, and most of its strings are ids, types and timestamps).
            if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName
                && (reader.ValueIsEscaped || !System.Text.Ascii.IsValid(reader.ValueSpan)))
            {
                try
                {
                    reader.GetString();
                }
                catch (InvalidOperationException)
                {
                    return reader.TokenStartIndex + 1;
                }
            }
        }

        return null;
    }

    /// <summary>False at the end, and where the text is not JSON: that is reported by whoever parses it.</summary>
    private static bool TryRead(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
