using CustomerGrains.Grains.Infrastructure;

namespace CustomerGrains.Grains.Customers;

/// <summary>
/// An event kept in a customer's recent behaviour (the customer id is implied by the grain). Its type, property
/// names and short text values are pooled instances (<see cref="StringPool"/>): a customer keeps many events
/// and every event arrives with copies of its own.
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.RetainedEvent.2")]
public sealed record RetainedEvent(
    [property: Id(0)] string Id,
    [property: Id(1)] string Type,
    [property: Id(2)] DateTimeOffset Timestamp,
    [property: Id(3)] EventProperties Properties)
{
    public static RetainedEvent Of(string id, string type, DateTimeOffset timestamp, IReadOnlyCollection<KeyValuePair<string, PropertyValue>> properties) =>
        new(id, StringPool.Names.Intern(type), timestamp, EventProperties.From(properties));

    public static RetainedEvent Of(string id, string type, DateTimeOffset timestamp, EventProperties properties) =>
        new(id, StringPool.Names.Intern(type), timestamp, properties.Pooled());

    /// <summary>This event with its strings pooled: for events loaded from a snapshot, whose strings are the snapshot's own.</summary>
    public RetainedEvent Pooled() => new(Id, StringPool.Names.Intern(Type), Timestamp, Properties.Pooled());
}
