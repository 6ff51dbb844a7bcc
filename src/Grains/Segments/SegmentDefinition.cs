namespace CustomerGrains.Grains.Segments;

/// <summary>
/// One version of a segment. <see cref="Uid"/> names the incarnation of this version: every edit and
/// every re-creation gets a new one, so memberships of one version never leak into another. A
/// <see cref="Pending"/> version is being backfilled while the previous one keeps serving.
/// A segment with a <see cref="Parent"/> only ever holds members of its parent. <see cref="Holdout"/>: the percentage of
/// its members kept as a control group (<see cref="Segments.Holdout"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.SegmentDefinition")]
public sealed record SegmentDefinition(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string? Description,
    [property: Id(3)] string Rule,
    [property: Id(4)] long Version,
    [property: Id(5)] Guid Uid,
    [property: Id(6)] int Shards,
    [property: Id(7)] DateTimeOffset CreatedAt,
    [property: Id(8)] DateTimeOffset UpdatedAt,
    [property: Id(9)] string? Parent = null,
    [property: Id(10)] bool Pending = false,
    [property: Id(11)] int Holdout = 0,
    [property: Id(12)] TimeSpan? MinDwell = null)
{
    /// <summary>The incarnation key: memberships, shards and member rows belong to one version's key.</summary>
    public string Key => Uid.ToString("N");

    /// <summary>The rule as evaluated: a child's members are always a subset of its parent's.</summary>
    public string EffectiveRule => Parent is null ? Rule : $"in_segment(\"{Parent}\") and ({Rule})";
}
