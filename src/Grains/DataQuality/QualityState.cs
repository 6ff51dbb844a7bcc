using CustomerGrains.Grains.Quality;

namespace CustomerGrains.Grains.DataQuality;

/// <summary>A store's data-quality report as written: each customer's facts, the key traits, the last rebuild.</summary>
[GenerateSerializer, Alias("cg.QualityState")]
public sealed class QualityState
{
    [Id(0)] public Dictionary<string, QualityEntry> Customers { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The traits the missing check looks for; null: <see cref="QualityChecks.DefaultKeyTraits"/>.</summary>
    [Id(1)] public string[]? KeyTraits { get; set; }

    [Id(2)] public QualityRebuild Rebuild { get; set; } = QualityRebuild.Never;
}
