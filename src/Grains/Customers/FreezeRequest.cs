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

[GenerateSerializer, Alias("cg.FreezeIntent")]
public enum FreezeIntent
{
    /// <summary>It is to be merged into the primary: it must be a customer of its own.</summary>
    Merge = 0,

    /// <summary>It is to be given back by the primary: it must be merged into it.</summary>
    Unmerge = 1,

    /// <summary>It is erased with the person it was merged into: it must be merged somewhere.</summary>
    Erase = 2,
}
