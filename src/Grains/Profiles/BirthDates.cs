using System.Globalization;

namespace CustomerGrains.Grains.Profiles;

/// <summary>
/// Birth dates as <c>yyyy-MM-dd</c>, kept when plausible for the event that sent them: not after its date (in the
/// earliest time zone, UTC+14, where a birth can already be "today"), and an age of at most <see cref="MaxAge"/> then.
/// </summary>
/// <remarks>
/// Judged against the event's time, not the clock: a replay of the same events, any day, must read them alike.
/// </remarks>
public static class BirthDates
{
    public const int MaxAge = 120;

    private static readonly TimeSpan EarliestZone = TimeSpan.FromHours(14);

    public static TraitReading Read(string text, DateTimeOffset at)
    {
        if (!DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var birth))
        {
            return TraitReading.Unreadable("not a date 'yyyy-MM-dd'");
        }

        var day = DateOnly.FromDateTime(at.ToOffset(EarliestZone).DateTime);
        if (birth > day)
        {
            return TraitReading.Unreadable("after the event that sent it");
        }

        var age = day.Year - birth.Year - (day.Month < birth.Month || (day.Month == birth.Month && day.Day < birth.Day) ? 1 : 0);
        return age > MaxAge
            ? TraitReading.Unreadable($"more than {MaxAge} years before the event that sent it")
            : TraitReading.Read(birth.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }
}
