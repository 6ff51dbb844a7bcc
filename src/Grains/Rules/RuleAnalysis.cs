namespace CustomerGrains.Grains.Rules;

/// <summary>What a rule reads: for indexed evaluation and, later, deadlines.</summary>
public static class RuleAnalysis
{
    /// <summary>
    /// True when the rule's truth can change with time alone (windows, days_since, age, the lifecycle stage, what the
    /// store's models predict).
    /// </summary>
    public static bool IsTimeSensitive(RuleNode node) => Operands(node).Any(o => o switch
    {
        CountOperand or SumOperand or DaysSinceOperand or ExpectedOrdersOperand or LookalikeOperand => true,
        ProfileOperand p => p.Name == "age",
        TraitOperand t => t.Name is "lifecycle" or "potential" or "value_potential" || RuleSchema.Drifting.Contains(t.Name),
        _ => false,
    });

    /// <summary>The longest window of the rule's counts and sums (zero without one): how far back its daily totals reach.</summary>
    public static TimeSpan LongestWindow(RuleNode node) => Operands(node).Select(o => o switch
    {
        CountOperand c => c.Window.Span,
        SumOperand s => s.Window.Span,
        _ => TimeSpan.Zero,
    }).DefaultIfEmpty(TimeSpan.Zero).Max();

    /// <summary>The trait name under which <see cref="Inputs"/> lists a rule's read of a lookalike model.</summary>
    public const string LookalikePrefix = "lookalike:";

    /// <summary>The lookalike models the rule reads, by id.</summary>
    public static IReadOnlySet<string> ReadsLookalikes(RuleNode node) =>
        Inputs(node).Traits.Where(t => t.StartsWith(LookalikePrefix, StringComparison.Ordinal)).Select(t => t[LookalikePrefix.Length..]).ToHashSet(StringComparer.Ordinal);

    /// <summary>The event types named by the rule's aggregates.</summary>
    public static IReadOnlySet<string> ReadsEventTypes(RuleNode node) => Inputs(node).EventTypes.ToHashSet(StringComparer.Ordinal);

    /// <summary>The segments the rule refers to with <c>in_segment</c>.</summary>
    public static IReadOnlySet<string> ReadsSegments(RuleNode node) => Inputs(node).Segments.ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// Everything the rule reads. <see cref="DeadlineCompiler"/> announces every turn time alone can make, under every
    /// operator, except those <see cref="DeadlineCompiler.Unannounced"/> names (a <c>days_since</c> inside a
    /// <c>where</c> that reads the filtered event): only those, and nodes or operands this analysis does not know,
    /// set <see cref="RuleInputs.UnannouncedTime"/>.
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
            UnannouncedTime |= DeadlineCompiler.Unannounced(node);
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
                    Operand(compare.Left);
                    Operand(compare.Right);
                    break;
                case BetweenNode between:
                    Operand(between.Value);
                    Operand(between.Low);
                    Operand(between.High);
                    break;
                case InNode @in:
                    Operand(@in.Value);
                    break;
                case ContainsNode contains:
                    Operand(contains.Container);
                    Operand(contains.Value);
                    break;
                case StartsWithNode starts:
                    Operand(starts.Value);
                    Operand(starts.Prefix);
                    break;
                case ExistsNode exists:
                    Operand(exists.Value);
                    break;
                case TruthNode truth:
                    Operand(truth.Value);
                    break;
                default:
                    // A node this analysis does not know could read anything, at any time.
                    UnannouncedTime = true;
                    break;
            }
        }

        private void Operand(Operand operand)
        {
            switch (operand)
            {
                case LiteralOperand or PropertyOperand:
                    // A property outside a where is always null; inside one it is the event's, and the event's type
                    // is already an input.
                    break;
                case ProfileOperand:
                    Profile = true;
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
                    Operand(days.Time);
                    break;
                case ExpectedOrdersOperand:
                    Traits.Add("expected_orders");
                    break;
                case LookalikeOperand lookalike:
                    Traits.Add(LookalikePrefix + lookalike.Model);
                    break;
                default:
                    UnannouncedTime = true;
                    break;
            }
        }
    }
}
