namespace CustomerGrains.Grains.Behaviour;

/// <summary>One order, keyed by its order id; a resent order with the same id replaces, never adds.</summary>
[GenerateSerializer, Immutable, Alias("cg.OrderRecord")]
public sealed record OrderRecord(
    [property: Id(0)] double Revenue,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] string EventId);
