using System.Collections.Immutable;

namespace CustomerGrains.Grains.Quality;

/// <summary>A store's data-quality report (<c>GET …/quality</c>): counts and example ids per check, as of <see cref="AsOf"/>.</summary>
[GenerateSerializer, Immutable, Alias("cg.QualitySummary")]
public sealed record QualitySummary(
    [property: Id(0)] long Customers,
    [property: Id(1)] ImmutableArray<string> KeyTraits,
    [property: Id(2)] QualityCheckSummary Missing,
    [property: Id(3)] QualityCheckSummary Invalid,
    [property: Id(4)] DuplicateSummary Duplicates,
    [property: Id(5)] ObsoleteSummary Obsolete,
    [property: Id(6)] QualityCheckSummary Contradictions,
    [property: Id(7)] DateTimeOffset AsOf,
    [property: Id(8)] QualityRebuild Rebuild);
