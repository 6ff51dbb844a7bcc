namespace CustomerGrains.Grains.Segments;

/// <summary>Progress of evaluating a definition version over the store's existing customers.</summary>
[GenerateSerializer, Immutable, Alias("cg.BackfillStatus")]
public sealed record BackfillStatus(
    [property: Id(0)] long Version,
    [property: Id(1)] bool Complete,
    [property: Id(2)] long Evaluated,
    [property: Id(3)] long Total)
{
    public string Status => Complete ? "ready" : "backfilling";
}
