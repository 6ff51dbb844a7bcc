namespace CustomerGrains.Grains.Behaviour;

/// <summary>
/// One identity a merged customer is made of (<see cref="CustomerState.Constituents"/>): its id, the id it was merged
/// into (null: the merged customer's own identity) and its own behaviour, kept up to date afterwards by the events that
/// name it, so that an unmerge gives each side back exactly what it would have had. Behaviour only: memberships,
/// decisions and the outbox belong to the customer as a whole.
/// </summary>
[GenerateSerializer, Alias("cg.Constituent")]
public sealed class Constituent
{
    [Id(0)] public string Id { get; set; } = "";

    /// <summary>The id this one was merged into; null for the merged customer's own identity.</summary>
    [Id(1)] public string? Parent { get; set; }

    [Id(2)] public CustomerState State { get; set; } = new();
}
