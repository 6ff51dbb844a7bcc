using System.Collections.Immutable;

namespace CustomerGrains.Grains.Behaviour;

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
    [property: Id(5)] EventProperties Properties)
{
    // Journal entries written before EventProperties carry the properties here instead (see Current).
    [Id(4)] private readonly ImmutableDictionary<string, PropertyValue>? _legacyProperties = null;

    /// <summary>Whether this event was read from a journal entry of an older build (its properties not yet in <see cref="Properties"/>).</summary>
    internal bool IsLegacy => _legacyProperties is not null;

    public PropertyValue Property(string name) =>
        Properties.TryGetValue(name, out var value) ? value : PropertyValue.Null;

    /// <summary>This event as this build holds it: an event of an older build's journal entry gets its properties back.</summary>
    public CustomerEvent Current() =>
        _legacyProperties is { } legacy ? new(Id, CustomerId, Type, Timestamp, EventProperties.From(legacy)) : this;
}
