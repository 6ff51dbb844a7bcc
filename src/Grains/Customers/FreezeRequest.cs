namespace CustomerGrains.Grains.Customers;

/// <summary>
/// A primary asks another customer to stop deciding and hand over its state until the primary has written the outcome
/// (<see cref="ICustomerGrain.FreezeAsync"/>): a merge's secondary, an unmerge's, or an id erased with its primary.
/// <see cref="Token"/> matches the thaw to this freeze.
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.FreezeRequest")]
public sealed record FreezeRequest(
    [property: Id(0)] string Primary,
    [property: Id(1)] Guid Token,
    [property: Id(2)] FreezeIntent Intent);
