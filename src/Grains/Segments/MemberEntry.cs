namespace CustomerGrains.Grains.Segments;

[GenerateSerializer, Immutable, Alias("cg.MemberEntry")]
public sealed record MemberEntry(
    [property: Id(0)] DateTimeOffset EnteredAt,
    [property: Id(1)] string Cause);
