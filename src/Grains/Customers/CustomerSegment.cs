namespace CustomerGrains.Grains.Customers;

/// <summary>A segment the customer is in, since when, and why.</summary>
[GenerateSerializer, Immutable, Alias("cg.CustomerSegment")]
public sealed record CustomerSegment(
    [property: Id(0)] string Id,
    [property: Id(1)] DateTimeOffset EnteredAt,
    [property: Id(2)] string Cause);
