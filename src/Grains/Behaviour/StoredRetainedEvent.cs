namespace CustomerGrains.Grains.Behaviour;

/// <summary>
/// A retained event as snapshots written before <see cref="RetainedEvent"/> became a struct hold it (an object with its
/// id): only read, into a <see cref="RetainedEvent"/>, when such a snapshot loads.
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.RetainedEvent.2")]
public sealed record StoredRetainedEvent(
    [property: Id(0)] string Id,
    [property: Id(1)] string Type,
    [property: Id(2)] DateTimeOffset Timestamp,
    [property: Id(3)] EventProperties Properties)
{
    public RetainedEvent ToRetained() => RetainedEvent.Of(CustomerBehaviour.Fingerprint(Id), Type, Timestamp, Properties);
}
