using CustomerGrains.Grains.Infrastructure;

namespace CustomerGrains.Grains.Behaviour;

/// <summary>
/// An event kept in a customer's recent behaviour (the customer id is implied by the grain), held inline in the
/// customer's list: no object of its own, and no id string. What the id was needed for, an order among events of the
/// same instant that does not depend on arrival, its fingerprint gives as well (<see cref="CustomerState.SeenIds"/>
/// holds the same fingerprints, so no two retained events share one). Its type, property names and short text values
/// are pooled instances (<see cref="StringPool"/>): a customer keeps many events and every event arrives with copies
/// of its own.
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.RetainedEvent.3")]
public readonly record struct RetainedEvent(
    [property: Id(0)] ulong Fingerprint,
    [property: Id(1)] string Type,
    [property: Id(2)] long Ticks,
    [property: Id(3)] EventProperties Properties)
{
    /// <summary>When it happened, in UTC (rules and windows compare instants, not the offset it was sent with).</summary>
    public DateTimeOffset Timestamp => new(Ticks, TimeSpan.Zero);

    public static RetainedEvent Of(ulong fingerprint, string type, DateTimeOffset timestamp, IReadOnlyCollection<KeyValuePair<string, PropertyValue>> properties) =>
        new(fingerprint, StringPool.Names.Intern(type), timestamp.UtcTicks, EventProperties.From(properties));

    public static RetainedEvent Of(ulong fingerprint, string type, DateTimeOffset timestamp, EventProperties properties) =>
        new(fingerprint, StringPool.Names.Intern(type), timestamp.UtcTicks, properties.Pooled());

    /// <summary>This event with its strings pooled: for events loaded from a snapshot, whose strings are the snapshot's own.</summary>
    public RetainedEvent Pooled() => new(Fingerprint, StringPool.Names.Intern(Type), Ticks, Properties.Pooled());
}
