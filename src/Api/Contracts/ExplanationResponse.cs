using CustomerGrains.Grains.Customers;

namespace CustomerGrains.Api.Contracts;

/// <summary>
/// Why a customer is or is not in a segment now: <c>member</c> is what the segment's membership says, <c>result</c> what
/// its rule says at <c>asOf</c> (they differ only while a change is due and not yet made), <c>failing</c> the clauses
/// that make the rule false (empty when it holds), and <c>rule</c> the rule's tree with each clause's value and result.
/// </summary>
public sealed record ExplanationResponse(
    string Segment,
    long Version,
    string CustomerId,
    bool Member,
    bool Result,
    IReadOnlyList<string> Failing,
    DateTimeOffset AsOf,
    ExplainedClauseResponse Rule)
{
    public static ExplanationResponse From(SegmentExplanation explanation) => new(
        explanation.Segment,
        explanation.Version,
        explanation.CustomerId,
        explanation.Member,
        explanation.Result,
        explanation.Failing.IsDefault ? [] : [.. explanation.Failing],
        explanation.At,
        ExplainedClauseResponse.From(explanation.Rule));
}
