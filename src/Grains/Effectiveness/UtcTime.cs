namespace CustomerGrains.Grains.Effectiveness;

/// <summary>Instants rounded to whole UTC intervals, and UTC day numbers as the purchase index counts them.</summary>
public static class UtcTime
{
    public static DateTimeOffset Floor(DateTimeOffset at, TimeSpan step) =>
        new(at.UtcTicks - (at.UtcTicks % step.Ticks), TimeSpan.Zero);

    public static DateTimeOffset Ceiling(DateTimeOffset at, TimeSpan step) =>
        at.UtcTicks % step.Ticks == 0 ? at.ToUniversalTime() : Floor(at, step) + step;

    /// <summary>The UTC day of an instant: days since 0001-01-01, as <see cref="Prediction.PurchaseDay.Day"/> numbers them.</summary>
    public static int Day(DateTimeOffset at) => (int)(at.UtcTicks / TimeSpan.TicksPerDay);

    /// <summary>An instant as the Api writes instants (UTC, milliseconds), for messages.</summary>
    public static string Text(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Midnight (UTC) starting a day number.</summary>
    public static DateTimeOffset StartOf(int day) => new(day * TimeSpan.TicksPerDay, TimeSpan.Zero);
}
