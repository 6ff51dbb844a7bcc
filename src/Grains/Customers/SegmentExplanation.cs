using System.Collections.Immutable;
using CustomerGrains.Grains.Rules;

namespace CustomerGrains.Grains.Customers;

/// <summary>
/// Why a customer is or is not in a segment, as of <see cref="At"/>: the serving version's rule (its parent's
/// <c>in_segment</c> first, for a child segment) explained clause by clause, the rule's result now, and whether the
/// customer's memberships hold it (<see cref="Member"/>; the two differ only while a change is due and not yet made).
/// <see cref="Failing"/> names the clauses that make the rule false, empty when it holds.
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.SegmentExplanation")]
public sealed record SegmentExplanation(
    [property: Id(0)] string Segment,
    [property: Id(1)] long Version,
    [property: Id(2)] string CustomerId,
    [property: Id(3)] bool Member,
    [property: Id(4)] bool Result,
    [property: Id(5)] ImmutableArray<string> Failing,
    [property: Id(6)] ExplainedClause Rule,
    [property: Id(7)] DateTimeOffset At);
