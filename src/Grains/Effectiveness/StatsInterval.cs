namespace CustomerGrains.Grains.Effectiveness;

/// <summary>The length of one interval of a segment's stats: a UTC minute, hour or day.</summary>
[GenerateSerializer, Alias("cg.StatsInterval")]
public enum StatsInterval
{
    Minute,
    Hour,
    Day,
}
