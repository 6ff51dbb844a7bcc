namespace CustomerGrains.Grains.Population;

/// <summary>How fresh classifications are. Section <c>CustomerGrains:Classification</c>.</summary>
public sealed class ClassificationOptions
{
    public const string Section = "Classification";

    /// <summary>How often each silo sends its customers' merged changes to the store's population.</summary>
    public TimeSpan ReportEvery { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long a silo uses a store's cut points before asking again.</summary>
    public TimeSpan CacheFor { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>When cut points have moved, customers are re-evaluated at most this often (segments on tiers follow).</summary>
    public TimeSpan ReclassifyEvery { get; set; } = TimeSpan.FromSeconds(60);
}
