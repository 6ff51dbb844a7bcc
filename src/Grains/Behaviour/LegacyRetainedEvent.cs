using System.Collections.Immutable;

namespace CustomerGrains.Grains.Behaviour;

/// <summary>
/// A retained event as snapshots written before <see cref="RetainedEvent"/> hold it (its properties as the
/// event's dictionary): only read, into a <see cref="RetainedEvent"/>, when such a snapshot loads.
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.RetainedEvent")]
public sealed record LegacyRetainedEvent(
    [property: Id(0)] string Id,
    [property: Id(1)] string Type,
    [property: Id(2)] DateTimeOffset Timestamp,
    [property: Id(3)] ImmutableDictionary<string, PropertyValue> Properties)
{
    public RetainedEvent ToRetained() => RetainedEvent.Of(CustomerBehaviour.Fingerprint(Id), Type, Timestamp, Properties);
}
