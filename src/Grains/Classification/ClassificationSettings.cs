namespace CustomerGrains.Grains.Classification;

/// <summary>
/// What a store may set about its classification: fixed revenue thresholds for value tiers (instead of
/// percentiles) and the day limits of the lifecycle stages.
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.ClassificationSettings")]
public sealed record ClassificationSettings(
    [property: Id(0)] double? HighFrom = null,
    [property: Id(1)] double? MediumFrom = null,
    [property: Id(2)] int NewDays = 30,
    [property: Id(3)] int ActiveDays = 90,
    [property: Id(4)] int AtRiskDays = 180,
    [property: Id(5)] int LapsedDays = 365)
{
    public static readonly ClassificationSettings Default = new();

    /// <summary>Why these settings cannot stand, or null.</summary>
    public string? Problem() =>
        (HighFrom is null) != (MediumFrom is null) ? "set both highFrom and mediumFrom, or neither"
        : HighFrom is { } high && MediumFrom is { } medium && !(double.IsFinite(high) && double.IsFinite(medium) && medium >= 0 && high > medium)
            ? "highFrom must be greater than mediumFrom, and mediumFrom at least 0"
        : !(NewDays > 0 && ActiveDays > 0 && AtRiskDays > ActiveDays && LapsedDays > AtRiskDays && LapsedDays <= 36_600)
            ? "lifecycle days must be positive and increase: newDays, activeDays < atRiskDays < lapsedDays (at most 36600)"
        : null;
}
