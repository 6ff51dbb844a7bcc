namespace CustomerGrains.Grains.Rules;

/// <summary>What a rule reads: for indexed evaluation and, later, deadlines.</summary>
public static class RuleAnalysis
{
    /// <summary>True when the rule's truth can change with time alone (windows, days_since, age).</summary>
    public static bool IsTimeSensitive(RuleNode node) => Operands(node).Any(o => o switch
    {
        CountOperand or SumOperand or DaysSinceOperand => true,
        ProfileOperand p => p.Name == "age",
        _ => false,
    });

    /// <summary>The event types named by the rule's aggregates.</summary>
    public static IReadOnlySet<string> ReadsEventTypes(RuleNode node) =>
        Operands(node).Select(o => o switch
        {
            CountOperand c => c.EventType,
            SumOperand s => s.EventType,
            _ => null,
        }).OfType<string>().ToHashSet(StringComparer.Ordinal);

    /// <summary>The segments the rule refers to with <c>in_segment</c>.</summary>
    public static IReadOnlySet<string> ReadsSegments(RuleNode node) => node switch
    {
        InSegmentNode i => new HashSet<string>(StringComparer.Ordinal) { i.SegmentId },
        AndNode and => and.Items.SelectMany(ReadsSegments).ToHashSet(StringComparer.Ordinal),
        OrNode or => or.Items.SelectMany(ReadsSegments).ToHashSet(StringComparer.Ordinal),
        NotNode not => ReadsSegments(not.Inner),
        _ => new HashSet<string>(StringComparer.Ordinal),
    };

    public static IEnumerable<Operand> Operands(RuleNode node) => node switch
    {
        AndNode and => and.Items.SelectMany(Operands),
        OrNode or => or.Items.SelectMany(Operands),
        NotNode not => Operands(not.Inner),
        CompareNode c => Expand(c.Left).Concat(Expand(c.Right)),
        InNode i => Expand(i.Value),
        ContainsNode c => Expand(c.Container).Concat(Expand(c.Value)),
        StartsWithNode s => Expand(s.Value).Concat(Expand(s.Prefix)),
        BetweenNode b => Expand(b.Value).Concat(Expand(b.Low)).Concat(Expand(b.High)),
        ExistsNode e => Expand(e.Value),
        TruthNode t => Expand(t.Value),
        _ => [],
    };

    private static IEnumerable<Operand> Expand(Operand operand) => operand switch
    {
        CountOperand { Where: { } w } c => new Operand[] { c }.Concat(Operands(w)),
        SumOperand { Where: { } w } s => new Operand[] { s }.Concat(Operands(w)),
        DaysSinceOperand d => new Operand[] { d }.Concat(Expand(d.Time)),
        _ => [operand],
    };
}
