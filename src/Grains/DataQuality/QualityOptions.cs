namespace CustomerGrains.Grains.DataQuality;

/// <summary>How the data-quality report travels and is kept. Section <c>CustomerGrains:Quality</c>.</summary>
public sealed class QualityOptions
{
    public const string Section = "Quality";

    /// <summary>How often each silo sends its customers' changed facts to each store's report.</summary>
    public TimeSpan ReportEvery { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How long a store's report may hold changes it has not written (it is written whole, so not after every change);
    /// silos keep what they sent until a write covers it, and send it again if the report restarted without it.
    /// </summary>
    public TimeSpan WriteEvery { get; set; } = TimeSpan.FromSeconds(5);
}
