using System.Globalization;
using System.Text.RegularExpressions;

namespace CustomerGrains.Grains.Segments;

/// <summary>
/// A segment's minimum dwell (<c>minDwell</c>, e.g. <c>10m</c>): a customer who enters and leaves within it is neither
/// announced (change feed, webhooks) nor counted as a flow; the membership itself stays exact. Written as a whole number
/// of minutes, hours, days or weeks, from a minute to a week.
/// </summary>
public static partial class SegmentDwell
{
    public static readonly TimeSpan Shortest = TimeSpan.FromMinutes(1);

    public static readonly TimeSpan Longest = TimeSpan.FromDays(7);

    public const string Range = "minDwell must be a whole number of minutes (m), hours (h), days (d) or weeks (w), from 1m to 7d, e.g. 10m";

    /// <summary>The dwell written as text, or null when the text is not one.</summary>
    public static TimeSpan? Parse(string text)
    {
        if (Pattern().Match(text) is not { Success: true } match
            || !long.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            return null;
        }

        var span = match.Groups[2].Value switch
        {
            "m" => TimeSpan.FromMinutes(amount),
            "h" => TimeSpan.FromHours(amount),
            "d" => TimeSpan.FromDays(amount),
            _ => TimeSpan.FromDays(amount * 7),
        };
        return span >= Shortest && span <= Longest ? span : null;
    }

    /// <summary>The dwell as text, in the largest unit that writes it whole.</summary>
    public static string Text(TimeSpan dwell) =>
        dwell.Ticks % TimeSpan.TicksPerDay == 0 && dwell.Days % 7 == 0 ? $"{dwell.Days / 7}w"
        : dwell.Ticks % TimeSpan.TicksPerDay == 0 ? $"{dwell.Days}d"
        : dwell.Ticks % TimeSpan.TicksPerHour == 0 ? string.Create(CultureInfo.InvariantCulture, $"{(long)dwell.TotalHours}h")
        : string.Create(CultureInfo.InvariantCulture, $"{(long)dwell.TotalMinutes}m");

    [GeneratedRegex("^([0-9]{1,5})([mhdw])$")]
    private static partial Regex Pattern();
}
