namespace CustomerGrains.Grains.Behaviour;

/// <summary>Traits computed from behaviour; what <c>GET …/customers/{id}</c> shows under "traits".</summary>
[GenerateSerializer, Immutable, Alias("cg.Traits")]
public sealed record Traits(
    [property: Id(0)] int Orders,
    [property: Id(1)] double Revenue,
    [property: Id(2)] double? Aov,
    [property: Id(3)] int Refunds,
    [property: Id(4)] DateTimeOffset? FirstOrderAt,
    [property: Id(5)] DateTimeOffset? LastOrderAt,
    [property: Id(6)] DateTimeOffset? FirstSeenAt,
    [property: Id(7)] DateTimeOffset? LastSeenAt,
    [property: Id(8)] long Events,
    [property: Id(9)] IReadOnlyDictionary<string, long> EventCounts30d);
