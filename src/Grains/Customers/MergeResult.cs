using System.Collections.Immutable;

namespace CustomerGrains.Grains.Customers;

/// <summary>
/// The answer to a merge or unmerge: what happened (<see cref="Outcome"/>), the customer that answered (the primary the
/// request's id resolves to) and the ids merged into it afterwards.
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.MergeResult")]
public sealed record MergeResult(
    [property: Id(0)] MergeOutcome Outcome,
    [property: Id(1)] string Primary,
    [property: Id(2)] ImmutableArray<string> MergedIds)
{
    /// <summary>Whether the ids are as asked now (merged, already merged, or unmerged).</summary>
    public bool Succeeded => Outcome is MergeOutcome.Merged or MergeOutcome.AlreadyMerged or MergeOutcome.Unmerged;
}
