namespace CustomerGrains.Grains.Rules;

/// <summary>
/// Compiles, for a rule, the instants at which time alone can change its answer. Conservative where it
/// must be: a window yields the next change of its content (which may or may not flip the rule), a
/// <c>days_since</c> or <c>profile.age</c> compared with a constant yields the moment the comparison turns.
/// The customer is re-evaluated at that instant; a deadline that flips nothing only costs one evaluation.
/// </summary>
public static class DeadlineCompiler
{
    // A days_since threshold further out than this never turns within the calendar a rule can see.
    private const double MaxThresholdDays = 36600;

    private delegate DateTimeOffset? Probe(IRuleSubject subject, DateTimeOffset now);

    public static Func<IRuleSubject, DateTimeOffset, DateTimeOffset?> Compile(RuleNode ast, Func<RuleNode, Func<IRuleSubject, DateTimeOffset, IRuleEvent?, bool>> compileFilter)
    {
        var probes = new List<Probe>();
        Collect(ast, probes, compileFilter);
        if (probes.Count == 0)
        {
            return static (_, _) => null;
        }

        var all = probes.ToArray();
        return (subject, now) =>
        {
            DateTimeOffset? earliest = null;
            foreach (var probe in all)
            {
                if (probe(subject, now) is { } at && at > now && (earliest is null || at < earliest))
                {
                    earliest = at;
                }
            }

            return earliest;
        };
    }

    private static void Collect(RuleNode node, List<Probe> probes, Func<RuleNode, Func<IRuleSubject, DateTimeOffset, IRuleEvent?, bool>> compileFilter)
    {
        switch (node)
        {
            case AndNode and:
                and.Items.ToList().ForEach(item => Collect(item, probes, compileFilter));
                return;
            case OrNode or:
                or.Items.ToList().ForEach(item => Collect(item, probes, compileFilter));
                return;
            case NotNode not:
                Collect(not.Inner, probes, compileFilter);
                return;
            case CompareNode compare:
                Thresholds(compare.Left, compare.Right, probes);
                Thresholds(compare.Right, compare.Left, probes);
                break;
            case BetweenNode between:
                Thresholds(between.Value, between.Low, probes);
                Thresholds(between.Value, between.High, probes);
                break;
        }

        foreach (var operand in RuleAnalysis.Operands(node))
        {
            switch (operand)
            {
                case TraitOperand { Name: "lifecycle" }:
                    // The stage moves with time alone; the subject knows its next boundary.
                    probes.Add((subject, now) => subject.Trait("lifecycle_changes_at", now) is { Kind: RuleValueKind.Time } at ? at.Time : null);
                    break;
                case CountOperand count:
                    probes.Add(Window(count.EventType, count.Window.Span, count.Where, compileFilter));
                    break;
                case SumOperand sum:
                    probes.Add(Window(sum.EventType, sum.Window.Span, sum.Where, compileFilter));
                    break;
            }
        }
    }

    private static Probe Window(string type, TimeSpan window, RuleNode? where, Func<RuleNode, Func<IRuleSubject, DateTimeOffset, IRuleEvent?, bool>> compileFilter)
    {
        if (where is null)
        {
            return (subject, now) => subject.NextWindowChange(type, window, now, null);
        }

        var filter = compileFilter(where);
        return (subject, now) => subject.NextWindowChange(type, window, now, Bind(filter, subject, now));
    }

    // Its own method, so that only windows with a where pay for a closure, once per probe.
    private static Func<IRuleEvent, bool> Bind(Func<IRuleSubject, DateTimeOffset, IRuleEvent?, bool> filter, IRuleSubject subject, DateTimeOffset now) =>
        e => filter(subject, now, e);

    /// <summary>
    /// Whether <paramref name="value"/> compared with <paramref name="bound"/> gets a probe here: a <c>days_since</c>
    /// of a trait or profile field or <c>profile.age</c>, against a number (for days_since, under 100 years).
    /// </summary>
    public static bool AnnouncesThreshold(Operand value, Operand bound) =>
        bound is LiteralOperand { Value.Kind: RuleValueKind.Number } literal
        && value switch
        {
            DaysSinceOperand { Time: TraitOperand or ProfileOperand } => Math.Abs(literal.Value.Number) < MaxThresholdDays,
            ProfileOperand { Name: "age" } => true,
            _ => false,
        };

    /// <summary><c>days_since(t) op c</c> turns at t + c days; <c>profile.age op c</c> at a birthday.</summary>
    private static void Thresholds(Operand value, Operand bound, List<Probe> probes)
    {
        if (!AnnouncesThreshold(value, bound))
        {
            return;
        }

        var amount = ((LiteralOperand)bound).Value.Number;
        switch (value)
        {
            case DaysSinceOperand days:
                var read = TimeReader(days.Time);
                // Just past the boundary, so that strict and non-strict comparisons have both turned.
                probes.Add((subject, now) => read(subject, now) is { } at ? After(at, amount) : null);
                break;
            case ProfileOperand:
                probes.Add((subject, now) => subject.Profile("birth_date", now) is { Kind: RuleValueKind.Time } birth
                    ? NextBirthday(birth.Time, now)
                    : null);
                break;
        }
    }

    /// <summary>
    /// Just past <paramref name="days"/> after <paramref name="at"/>; none when that is outside the calendar (a
    /// birth date of 9999-12-31 never reaches a threshold days later).
    /// </summary>
    private static DateTimeOffset? After(DateTimeOffset at, double days)
    {
        var ticks = (long)(days * TimeSpan.TicksPerDay) + TimeSpan.TicksPerMillisecond;
        var target = (double)at.UtcTicks + ticks;
        return target > DateTimeOffset.MinValue.UtcTicks && target < DateTimeOffset.MaxValue.UtcTicks ? at.AddTicks(ticks) : null;
    }

    private static Func<IRuleSubject, DateTimeOffset, DateTimeOffset?> TimeReader(Operand operand) => operand switch
    {
        TraitOperand trait => (subject, now) => subject.Trait(trait.Name, now) is { Kind: RuleValueKind.Time } v ? v.Time : null,
        ProfileOperand profile => (subject, now) => subject.Profile(profile.Name, now) is { Kind: RuleValueKind.Time } v ? v.Time : null,
        _ => (_, _) => null,
    };

    private static DateTimeOffset NextBirthday(DateTimeOffset birth, DateTimeOffset now)
    {
        for (var year = now.Year; ; year++)
        {
            var day = Math.Min(birth.Day, DateTime.DaysInMonth(year, birth.Month));
            var candidate = new DateTimeOffset(year, birth.Month, day, 0, 0, 0, TimeSpan.Zero);
            if (candidate > now)
            {
                return candidate;
            }
        }
    }
}
