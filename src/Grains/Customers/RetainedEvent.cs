using System.Collections.Immutable;

namespace CustomerGrains.Grains.Customers;

/// <summary>An event kept in a customer's recent behaviour (the customer id is implied by the grain).</summary>
[GenerateSerializer, Immutable, Alias("cg.RetainedEvent")]
public sealed record RetainedEvent(
    [property: Id(0)] string Id,
    [property: Id(1)] string Type,
    [property: Id(2)] DateTimeOffset Timestamp,
    [property: Id(3)] ImmutableDictionary<string, PropertyValue> Properties);
