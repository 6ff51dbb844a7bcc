namespace CustomerGrains.Grains.Behaviour;

/// <summary>
/// A value sent for a normalised profile trait that could not be read (see <see cref="Profiles.ProfileNormalisation"/>),
/// as sent, with why, and the event that sent it. A customer keeps the newest one per trait while it is newer than
/// the trait's value: the trait keeps its last readable value meanwhile.
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.RawProfileValue")]
public sealed record RawProfileValue(
    [property: Id(0)] PropertyValue Value,
    [property: Id(1)] string Reason,
    [property: Id(2)] DateTimeOffset SetAt,
    [property: Id(3)] string SetBy);
