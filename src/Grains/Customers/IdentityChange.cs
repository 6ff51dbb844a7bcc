using CustomerGrains.Grains.Behaviour;

namespace CustomerGrains.Grains.Customers;

/// <summary>
/// What a journal entry changed of a customer's identity (ARCHITECTURE: Where identities are merged). A merge writes two entries in
/// one transaction: the secondary's <see cref="IdentityChangeKind.MergedInto"/> and the primary's
/// <see cref="IdentityChangeKind.Absorbed"/> (with the secondary as it was handed over, which the primary's replay folds);
/// an unmerge writes the secondary's <see cref="IdentityChangeKind.Unmerged"/> (with the behaviour given back) and the
/// primary's <see cref="IdentityChangeKind.Released"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.IdentityChange")]
public sealed record IdentityChange(
    [property: Id(0)] IdentityChangeKind Kind,
    [property: Id(1)] string Primary,
    [property: Id(2)] string Secondary,
    [property: Id(3)] CustomerState? State = null);
