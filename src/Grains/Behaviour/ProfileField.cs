namespace CustomerGrains.Grains.Behaviour;

/// <summary>
/// A profile trait with the event time that set it: the newest timestamp wins whatever the arrival order
/// (ties broken by event id), so replays and late events give the same profile.
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.ProfileField")]
public sealed record ProfileField(
    [property: Id(0)] PropertyValue Value,
    [property: Id(1)] DateTimeOffset SetAt,
    [property: Id(2)] string SetBy);
