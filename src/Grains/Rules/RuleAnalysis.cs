using CustomerGrains.Grains.Behaviour;
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
    public static IReadOnlySet<string> ReadsEventTypes(RuleNode node) => Inputs(node).EventTypes.ToHashSet(StringComparer.Ordinal);

    /// <summary>The segments the rule refers to with <c>in_segment</c>.</summary>
    public static IReadOnlySet<string> ReadsSegments(RuleNode node) => Inputs(node).Segments.ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// Everything the rule reads. Time that <see cref="DeadlineCompiler"/> announces (windows, the lifecycle stage,
    /// <c>days_since</c> of a trait or profile field and <c>profile.age</c> compared with a number) is not
    /// unannounced; any other <c>days_since</c> or <c>profile.age</c> is.
    /// </summary>
    public static RuleInputs Inputs(RuleNode node)
    {
        var reads = new Reads();
        reads.Node(node);
        return new RuleInputs(
            [.. reads.EventTypes.Order(StringComparer.Ordinal)],
            [.. reads.Traits.Order(StringComparer.Ordinal)],
            reads.Profile,
            [.. reads.Segments.Order(StringComparer.Ordinal)],
            reads.UnannouncedTime);
    }

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

    private sealed class Reads
    {
        public HashSet<string> EventTypes { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Traits { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Segments { get; } = new(StringComparer.Ordinal);

        public bool Profile { get; private set; }

        public bool UnannouncedTime { get; private set; }

        public void Node(RuleNode node)
        {
            switch (node)
            {
                case AndNode and:
                    foreach (var item in and.Items)
                    {
                        Node(item);
                    }

                    break;
                case OrNode or:
                    foreach (var item in or.Items)
                    {
                        Node(item);
                    }

                    break;
                case NotNode not:
                    Node(not.Inner);
                    break;
                case InSegmentNode inSegment:
                    Segments.Add(inSegment.SegmentId);
                    break;
                case CompareNode compare:
                    Operand(compare.Left, announced: DeadlineCompiler.AnnouncesThreshold(compare.Left, compare.Right));
                    Operand(compare.Right, announced: DeadlineCompiler.AnnouncesThreshold(compare.Right, compare.Left));
                    break;
                case BetweenNode between:
                    Operand(between.Value, announced: DeadlineCompiler.AnnouncesThreshold(between.Value, between.Low)
                        && DeadlineCompiler.AnnouncesThreshold(between.Value, between.High));
                    Operand(between.Low, announced: false);
                    Operand(between.High, announced: false);
                    break;
                case InNode @in:
                    Operand(@in.Value, announced: false);
                    break;
                case ContainsNode contains:
                    Operand(contains.Container, announced: false);
                    Operand(contains.Value, announced: false);
                    break;
                case StartsWithNode starts:
                    Operand(starts.Value, announced: false);
                    Operand(starts.Prefix, announced: false);
                    break;
                case ExistsNode exists:
                    Operand(exists.Value, announced: false);
                    break;
                case TruthNode truth:
                    Operand(truth.Value, announced: false);
                    break;
                default:
                    // A node this analysis does not know could read anything, at any time.
                    UnannouncedTime = true;
                    break;
            }
        }

        // announced: whether the deadline compiler probes this operand's threshold.
        private void Operand(Operand operand, bool announced)
        {
            switch (operand)
            {
                case LiteralOperand or PropertyOperand:
                    // A property outside a where is always null; inside one it is the event's, and the event's type
                    // is already an input.
                    break;
                case ProfileOperand profile:
                    Profile = true;
                    UnannouncedTime |= profile.Name == "age" && !announced;
                    break;
                case TraitOperand trait:
                    Traits.Add(trait.Name);
                    break;
                case CountOperand count:
                    EventTypes.Add(count.EventType);
                    if (count.Where is { } countWhere)
                    {
                        Node(countWhere);
                    }

                    break;
                case SumOperand sum:
                    EventTypes.Add(sum.EventType);
                    if (sum.Where is { } sumWhere)
                    {
                        Node(sumWhere);
                    }

                    break;
                case DaysSinceOperand days:
                    UnannouncedTime |= !announced;
                    Operand(days.Time, announced: false);
                    break;
                default:
                    UnannouncedTime = true;
                    break;
            }
        }
    }
}
