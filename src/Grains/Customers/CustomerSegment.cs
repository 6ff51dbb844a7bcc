namespace CustomerGrains.Grains.Customers;

/// <summary>
/// A segment the customer is in, since when, and why; <see cref="Holdout"/>: the customer is in the segment's control
/// group (<see cref="Segments.Holdout"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.CustomerSegment")]
public sealed record CustomerSegment(
    [property: Id(0)] string Id,
    [property: Id(1)] DateTimeOffset EnteredAt,
    [property: Id(2)] string Cause,
    [property: Id(3)] bool Holdout = false);
