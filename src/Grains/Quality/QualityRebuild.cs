namespace CustomerGrains.Grains.Quality;

/// <summary>The last rebuild of a store's report from its customers: whether one is running, when it started and ended, how many it asked.</summary>
[GenerateSerializer, Immutable, Alias("cg.QualityRebuild")]
public sealed record QualityRebuild(
    [property: Id(0)] bool Running,
    [property: Id(1)] DateTimeOffset? StartedAt,
    [property: Id(2)] DateTimeOffset? FinishedAt,
    [property: Id(3)] long Customers)
{
    public static readonly QualityRebuild Never = new(false, null, null, 0);
}
