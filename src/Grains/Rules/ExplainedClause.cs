using System.Collections.Immutable;

namespace CustomerGrains.Grains.Rules;

/// <summary>
/// One node of a rule, explained for one customer at one instant: its text (<see cref="RuleText"/> of the sub-tree),
/// the value of the customer's operand it tests (null for <c>and</c>, <c>or</c>, <c>not</c> and <c>in_segment</c>, or
/// when the value is missing), whether it holds, and for <c>and</c>, <c>or</c> and <c>not</c> the nodes under it.
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.ExplainedClause")]
public sealed record ExplainedClause(
    [property: Id(0)] string Clause,
    [property: Id(1)] ExplainedValue? Value,
    [property: Id(2)] bool Result,
    [property: Id(3)] ImmutableArray<ExplainedClause> Children);
