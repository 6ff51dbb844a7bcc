using System.Collections.Immutable;

namespace CustomerGrains.Grains.Rules;

/// <summary>
/// Why a rule holds or not for one subject at one instant: the rule's tree, each node with whether it holds and the
/// value of the operand it tests. Each result is the compiled evaluator's own answer for that sub-tree and each value
/// its own read of the operand (<see cref="RuleCompiler.Holds"/>, <see cref="RuleCompiler.Value"/>: the code that
/// builds a rule's delegate), so an explanation cannot disagree with the decision it explains.
/// </summary>
public static class RuleExplanation
{
    public static ExplainedClause Explain(CompiledRule rule, IRuleSubject subject, DateTimeOffset now) => Explain(rule.Ast, subject, now);

    public static ExplainedClause Explain(RuleNode node, IRuleSubject subject, DateTimeOffset now)
    {
        ImmutableArray<RuleNode> parts = node switch
        {
            AndNode and => and.Items,
            OrNode or => or.Items,
            NotNode not => [not.Inner],
            _ => [],
        };

        var value = Tested(node) is { } operand ? ExplainedValue.Of(RuleCompiler.Value(operand, subject, now)) : null;
        return new ExplainedClause(
            RuleText.Write(node),
            value,
            RuleCompiler.Holds(node, subject, now),
            [.. parts.Select(part => Explain(part, subject, now))]);
    }

    /// <summary>
    /// The clauses that make the rule false, in rule order: under a false <c>and</c> its false parts, under a false
    /// <c>or</c> all of its parts; any other false node is a reason itself (a <c>not</c> is named whole: what fails is
    /// that its inner clause holds). Empty when the rule holds.
    /// </summary>
    public static ImmutableArray<string> Failing(ExplainedClause root)
    {
        var failing = new List<string>();
        Collect(root, failing);
        return [.. failing.Distinct(StringComparer.Ordinal)];
    }

    private static void Collect(ExplainedClause clause, List<string> failing)
    {
        if (clause.Result)
        {
            return;
        }

        // A false and or or has a false part (an or: only false parts), and the reasons are there; a false not has a
        // true part, and is the reason itself.
        if (clause.Children.Length > 1 || (clause.Children.Length == 1 && !clause.Children[0].Result))
        {
            foreach (var child in clause.Children)
            {
                Collect(child, failing);
            }

            return;
        }

        failing.Add(clause.Clause);
    }

    /// <summary>
    /// The operand a clause tests of the customer: the left one, or the right one of a comparison written the other way
    /// round (<c>30 &lt; days_since(last_order)</c>). None for <c>in_segment</c>, whose result is all there is.
    /// </summary>
    private static Operand? Tested(RuleNode node) => node switch
    {
        CompareNode c => c.Left is LiteralOperand && c.Right is not LiteralOperand ? c.Right : c.Left,
        InNode i => i.Value,
        ContainsNode c => c.Container,
        StartsWithNode s => s.Value,
        BetweenNode b => b.Value,
        ExistsNode e => e.Value,
        TruthNode t => t.Value,
        _ => null,
    };
}
