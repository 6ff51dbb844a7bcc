namespace CustomerGrains.Grains.Segments;

/// <summary>A shard's member: since when, why, and the customer's decision that made it one (0: unknown, loaded from a row).</summary>
[GenerateSerializer, Immutable, Alias("cg.MemberEntry")]
public sealed record MemberEntry(
    [property: Id(0)] DateTimeOffset EnteredAt,
    [property: Id(1)] string Cause,
    [property: Id(2)] long Decision = 0);
