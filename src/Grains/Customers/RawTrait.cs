using CustomerGrains.Grains.Behaviour;

namespace CustomerGrains.Grains.Customers;

/// <summary>
/// A value sent for a normalised profile trait that could not be read, as the customer view shows it: the trait, what
/// was sent, why it was not taken, and the time of the event that sent it.
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.RawTrait")]
public sealed record RawTrait(
    [property: Id(0)] string Field,
    [property: Id(1)] PropertyValue Value,
    [property: Id(2)] string Reason,
    [property: Id(3)] DateTimeOffset At);
