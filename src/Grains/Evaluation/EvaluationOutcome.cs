using System.Collections.Immutable;

namespace CustomerGrains.Grains.Evaluation;

/// <summary>
/// What one evaluation pass decided: the membership changes (already recorded in the state's memberships, numbered
/// by its decision counter) and the earliest instant after now at which time alone can change any segment's answer
/// (null: only new events can).
/// </summary>
public readonly record struct EvaluationOutcome(ImmutableArray<MembershipDecision> Decided, DateTimeOffset? NextDeadline)
{
    /// <summary>How many memberships changed.</summary>
    public int Changes => Decided.Length;
}
