using System.Collections.Immutable;

namespace CustomerGrains.Grains.Customers;

/// <summary>
/// One interaction of a customer with a store, already validated at the edge.
/// <see cref="Id"/> is unique per store and makes retries idempotent.
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.CustomerEvent")]
public sealed record CustomerEvent(
    [property: Id(0)] string Id,
    [property: Id(1)] string CustomerId,
    [property: Id(2)] string Type,
    [property: Id(3)] DateTimeOffset Timestamp,
    [property: Id(4)] ImmutableDictionary<string, PropertyValue> Properties)
{
    public PropertyValue Property(string name) =>
        Properties.TryGetValue(name, out var value) ? value : PropertyValue.Null;
}
