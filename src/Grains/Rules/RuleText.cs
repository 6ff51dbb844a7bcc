using System.Globalization;
using System.Text;

namespace CustomerGrains.Grains.Rules;

/// <summary>Writes the canonical text of a rule: single spaces, explicit parentheses only where precedence needs them.</summary>
public static class RuleText
{
    public static string Write(RuleNode node) => Node(node, parentPrecedence: 0);

    private static string Node(RuleNode node, int parentPrecedence)
    {
        var (text, precedence) = node switch
        {
            OrNode or => (string.Join(" or ", or.Items.Select(i => Node(i, 1))), 1),
            AndNode and => (string.Join(" and ", and.Items.Select(i => Node(i, 2))), 2),
            NotNode not => ("not " + Node(not.Inner, 3), 3),
            CompareNode c => ($"{Operand(c.Left)} {c.Op} {Operand(c.Right)}", 4),
            InNode i => ($"{Operand(i.Value)} {(i.Negated ? "not in" : "in")} [{string.Join(", ", i.Items.Select(Literal))}]", 4),
            ContainsNode c => ($"{Operand(c.Container)} contains {Operand(c.Value)}", 4),
            StartsWithNode s => ($"{Operand(s.Value)} starts_with {Operand(s.Prefix)}", 4),
            BetweenNode b => ($"{Operand(b.Value)} between {Operand(b.Low)} and {Operand(b.High)}", 4),
            ExistsNode e => ($"exists({Operand(e.Value)})", 4),
            TruthNode t => (Operand(t.Value), 4),
            InSegmentNode i => ($"in_segment({Quote(i.SegmentId)})", 4),
            _ => throw new InvalidOperationException(node.GetType().Name),
        };
        return precedence < parentPrecedence ? $"({text})" : text;
    }

    public static string Operand(Operand operand) => operand switch
    {
        LiteralOperand l => Literal(l.Value),
        ProfileOperand p => $"profile.{p.Name}",
        TraitOperand t => t.Name,
        PropertyOperand p => p.Name,
        CountOperand c => $"count({c.EventType}{Where(c.Where)}, {c.Window})",
        SumOperand s => $"sum({s.EventType}.{s.Property}{Where(s.Where)}, {s.Window})",
        DaysSinceOperand d => $"days_since({Operand(d.Time)})",
        ExpectedOrdersOperand e => $"expected_orders({e.Horizon})",
        LookalikeOperand l => $"lookalike({Quote(l.Model)})",
        _ => throw new InvalidOperationException(operand.GetType().Name),
    };

    public static string Literal(RuleValue value) => value.Kind switch
    {
        RuleValueKind.Number => value.Number.ToString("R", CultureInfo.InvariantCulture),
        RuleValueKind.Bool => value.Number != 0 ? "true" : "false",
        RuleValueKind.String => Quote(value.Text!),
        RuleValueKind.Time => Quote(value.Time.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", CultureInfo.InvariantCulture)),
        _ => throw new InvalidOperationException($"no literal form for {value.Kind}"),
    };

    public static string Quote(string text)
    {
        var builder = new StringBuilder("\"");
        foreach (var c in text)
        {
            if (c is '"' or '\\')
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.Append('"').ToString();
    }

    private static string Where(RuleNode? where) => where is null ? "" : " where " + Write(where);
}
