using System.Text.RegularExpressions;

namespace CustomerGrains.Contracts.Validation;

/// <summary>The shapes of ids the Api (and the importer, which checks before it sends) accepts.</summary>
public static partial class Ids
{
    public const int MaxIdLength = 128;

    public static bool IsStore(string? value) => value is not null && StorePattern().IsMatch(value);

    public static bool IsSegment(string? value) => value is not null && SegmentPattern().IsMatch(value);

    /// <summary>Webhook ids take the shape of segment ids.</summary>
    public static bool IsWebhook(string? value) => value is not null && SegmentPattern().IsMatch(value);

    public static bool IsEventType(string? value) => value is not null && EventTypePattern().IsMatch(value);

    /// <summary>Customer and event ids: 1–128 characters, no control characters, no surrounding spaces.</summary>
    public static bool IsExternal(string? value) =>
        !string.IsNullOrEmpty(value)
        && value.Length <= MaxIdLength
        && value.Trim().Length == value.Length
        && IsCleanText(value);

    /// <summary>No control characters and no lone surrogates (which cannot be stored or printed faithfully).</summary>
    public static bool IsCleanText(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsControl(c))
            {
                return false;
            }

            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return false;
            }
        }

        return true;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$")]
    private static partial Regex StorePattern();

    [GeneratedRegex("^[a-z][a-z0-9_-]{0,63}$")]
    private static partial Regex SegmentPattern();

    [GeneratedRegex("^[a-z][a-z0-9_]{0,63}$")]
    private static partial Regex EventTypePattern();
}
