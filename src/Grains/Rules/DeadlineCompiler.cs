using System.Globalization;

namespace CustomerGrains.Grains.Rules;

/// <summary>
/// Compiles, for a rule, the first instant after now at which time alone can change its answer; the customer is
/// woken and evaluated again then. Every operand that time moves gets a probe, under every operator:
/// <list type="bullet">
/// <item>steps — values that stay put between instants their subject knows: a <c>count</c> or <c>sum</c> window
/// (an event leaving it, or a future-stamped one entering), <c>profile.age</c> (a birthday, or the birth itself)
/// and <c>lifecycle</c> (its next stage). Their next step is announced wherever they appear, under any operator and
/// inside a <c>where</c>: a step that flips nothing only costs one evaluation.</item>
/// <item>the one ramp — <c>days_since(t)</c> grows by a day a day, so against anything that holds still until its
/// own step (a number, a trait, a profile field, a window, the age) it turns only where it reaches that value:
/// the first tick it is ≥ it and the first tick it is &gt; it, found with the very arithmetic evaluation uses, so the
/// deadline is the exact tick (<c>==</c>, <c>in [..]</c> and <c>contains</c> are true from the first to just before
/// the second). Against another <c>days_since</c> it never turns: both grow alike.</item>
/// <item>drifts — what the store's models predict (<c>p_alive</c>, <c>expected_orders(h)</c>, <c>clv</c>, a lookalike
/// score) moves continuously and one way as time passes with nothing happening: against anything that holds still
/// (<see cref="RuleSchema.Drifting"/>), each of <c>v &lt; c</c> and <c>v &lt;= c</c> turns at most once, found by
/// evaluating it ahead (a doubling search, then halving to the tick). <c>potential</c> and <c>value_potential</c>
/// step where the predicted value crosses the store's cut points.</item>
/// </list>
/// <c>in_segment</c> is an input, not time: the other segment's own deadline wakes the customer, and a pass
/// decides again every segment that reads one it moved. What cannot be announced is named by
/// <see cref="Unannounced"/>.
/// </summary>
public static class DeadlineCompiler
{
    private delegate DateTimeOffset? Probe(IRuleSubject subject, DateTimeOffset now);

    /// <summary>Which turns of a <c>days_since</c> against a value can change a predicate.</summary>
    [Flags]
    private enum Edges : byte
    {
        None = 0,

        /// <summary>The first tick at which it is ≥ the value (&lt; and &gt;= turn there).</summary>
        Reaches = 1,

        /// <summary>The first tick at which it is &gt; the value (&lt;= and &gt; turn there).</summary>
        Passes = 2,

        Both = Reaches | Passes,
    }

    public static Func<IRuleSubject, DateTimeOffset, DateTimeOffset?> Compile(
        RuleNode ast,
        Func<RuleNode, Func<IRuleSubject, DateTimeOffset, IRuleEvent?, bool>> compileFilter,
        Func<Operand, Func<IRuleSubject, DateTimeOffset, IRuleEvent?, RuleValue>> compileRead)
    {
        var collector = new Collector(compileFilter, compileRead);
        collector.Node(ast);
        if (collector.Probes.Count == 0)
        {
            return static (_, _) => null;
        }

        var all = collector.Probes.ToArray();
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

    /// <summary>
    /// Whether time can turn this predicate (not its children) at an instant no deadline announces. Only a
    /// <c>days_since</c> inside a <c>where</c> that reads the event being filtered: of the event's own time, or against
    /// one of its properties. It would turn at a different instant for each event in the window, and a deadline
    /// reads the customer, not each event. Events carry no times today (a property is a bool, number, text or list),
    /// so <c>days_since</c> of a property is always null; a threshold from a property is the real gap. Such a rule
    /// is evaluated on every pass instead (see <see cref="RuleInputs.UnannouncedTime"/>).
    /// </summary>
    /// <para>
    /// A drift is unannounced where it is not compared with something that holds still as a number: against another
    /// drift or a <c>days_since</c> (both move), in a list (equality with a continuous value), or under <c>contains</c>
    /// and <c>starts_with</c> (text).
    /// </para>
    public static bool Unannounced(RuleNode node) => node switch
    {
        CompareNode c => UnannouncedAgainst(c.Left, c.Right) || UnannouncedAgainst(c.Right, c.Left) || DriftsAgainstMover(c.Left, c.Right),
        BetweenNode b => UnannouncedAgainst(b.Value, b.Low) || UnannouncedAgainst(b.Value, b.High) || UnannouncedAgainst(b.Low, b.Value) || UnannouncedAgainst(b.High, b.Value)
            || DriftsAgainstMover(b.Value, b.Low) || DriftsAgainstMover(b.Value, b.High),
        InNode i => (i.Value is DaysSinceOperand d && ReadsEvent(d.Time)) || IsDrift(i.Value),
        ContainsNode c => UnannouncedAgainst(c.Value, c.Container) || IsDrift(c.Value) || IsDrift(c.Container),
        StartsWithNode s => IsDrift(s.Value) || IsDrift(s.Prefix),
        _ => false,
    };

    /// <summary>An operand the store's models move with time, continuously and one way.</summary>
    public static bool IsDrift(Operand operand) =>
        operand is ExpectedOrdersOperand or LookalikeOperand || (operand is TraitOperand t && RuleSchema.Drifting.Contains(t.Name));

    private static bool DriftsAgainstMover(Operand a, Operand b) =>
        (IsDrift(a) && (IsDrift(b) || b is DaysSinceOperand)) || (IsDrift(b) && a is DaysSinceOperand);

    private static bool UnannouncedAgainst(Operand value, Operand other) =>
        value is DaysSinceOperand days && other is not DaysSinceOperand && (ReadsEvent(days.Time) || ReadsEvent(other));

    private static bool ReadsEvent(Operand operand) => operand is PropertyOperand || (operand is DaysSinceOperand d && ReadsEvent(d.Time));

    private sealed class Collector(
        Func<RuleNode, Func<IRuleSubject, DateTimeOffset, IRuleEvent?, bool>> compileFilter,
        Func<Operand, Func<IRuleSubject, DateTimeOffset, IRuleEvent?, RuleValue>> compileRead)
    {
        private bool _age;
        private bool _lifecycle;
        private bool _potential;

        public List<Probe> Probes { get; } = [];

        public void Node(RuleNode node)
        {
            switch (node)
            {
                case AndNode and:
                    foreach (var item in and.Items)
                    {
                        Node(item);
                    }

                    return;
                case OrNode or:
                    foreach (var item in or.Items)
                    {
                        Node(item);
                    }

                    return;
                case NotNode not:
                    Node(not.Inner);
                    return;
                case CompareNode compare:
                    var op = RuleValues.Operator(compare.Op);
                    Ramp(compare.Left, compare.Right, EdgesOf(op));
                    Ramp(compare.Right, compare.Left, EdgesOf(Mirror(op)));
                    Drift(compare.Left, compare.Right, EdgesOf(op));
                    Drift(compare.Right, compare.Left, EdgesOf(Mirror(op)));
                    Steps(compare.Left);
                    Steps(compare.Right);
                    return;
                case BetweenNode between:
                    // value >= low and value <= high.
                    Ramp(between.Value, between.Low, Edges.Reaches);
                    Ramp(between.Low, between.Value, Edges.Passes);
                    Ramp(between.Value, between.High, Edges.Passes);
                    Ramp(between.High, between.Value, Edges.Reaches);
                    Drift(between.Value, between.Low, Edges.Reaches);
                    Drift(between.Value, between.High, Edges.Passes);
                    Steps(between.Value);
                    Steps(between.Low);
                    Steps(between.High);
                    return;
                case InNode @in:
                    if (@in.Value is DaysSinceOperand days && !ReadsEvent(days.Time))
                    {
                        Probes.Add(InList(days, @in.Items));
                    }

                    Steps(@in.Value);
                    return;
                case ContainsNode contains:
                    if (contains.Value is DaysSinceOperand needle && !UnannouncedAgainst(contains.Value, contains.Container))
                    {
                        Probes.Add(InContainer(needle, contains.Container));
                    }

                    Steps(contains.Container);
                    Steps(contains.Value);
                    return;
                case StartsWithNode starts:
                    Steps(starts.Value);
                    Steps(starts.Prefix);
                    return;
                case ExistsNode exists:
                    // A days_since exists exactly when its time does; the age from its birth on: the age's step.
                    Steps(exists.Value);
                    return;
                case TruthNode truth:
                    Steps(truth.Value);
                    return;
            }
        }

        /// <summary>The probes of an operand's own steps, and of whatever its where filter compares.</summary>
        private void Steps(Operand operand)
        {
            switch (operand)
            {
                case TraitOperand { Name: "lifecycle" } when !_lifecycle:
                    _lifecycle = true;
                    Probes.Add(static (subject, now) => subject.Trait("lifecycle_changes_at", now) is { Kind: RuleValueKind.Time } at ? at.Time : null);
                    break;
                case TraitOperand { Name: "potential" or "value_potential" } when !_potential:
                    _potential = true;
                    Probes.Add(static (subject, now) => subject.Trait("potential_changes_at", now) is { Kind: RuleValueKind.Time } at ? at.Time : null);
                    break;
                case ProfileOperand { Name: "age" } when !_age:
                    _age = true;
                    Probes.Add(static (subject, now) => subject.Profile("birth_date", now) is { Kind: RuleValueKind.Time } birth ? NextAgeChange(birth.Time, now) : null);
                    break;
                case CountOperand count:
                    Probes.Add(Window(count.EventType, count.Window.Span, count.Where));
                    if (count.Where is { } countWhere)
                    {
                        Node(countWhere);
                    }

                    break;
                case SumOperand sum:
                    Probes.Add(Window(sum.EventType, sum.Window.Span, sum.Where));
                    if (sum.Where is { } sumWhere)
                    {
                        Node(sumWhere);
                    }

                    break;
                case DaysSinceOperand days:
                    // Its ramp is the predicate's business; its time is a trait or profile field, which time does not move.
                    Steps(days.Time);
                    break;
            }
        }

        /// <summary>A <c>days_since</c> against an operand that holds still until its own step.</summary>
        private void Ramp(Operand value, Operand bound, Edges edges)
        {
            if (value is not DaysSinceOperand days || edges == Edges.None || bound is DaysSinceOperand || UnannouncedAgainst(value, bound))
            {
                return;
            }

            var time = compileRead(days.Time);
            if (bound is LiteralOperand literal)
            {
                // Known now: a literal that is no number never compares as one, so never turns.
                if (RuleValues.AsNumber(literal.Value) is { } constant && double.IsFinite(constant))
                {
                    Probes.Add((subject, now) => time(subject, now, null) is { Kind: RuleValueKind.Time } t ? NextTurn(t.Time, constant, edges, now) : null);
                }

                return;
            }

            var read = compileRead(bound);
            Probes.Add((subject, now) => time(subject, now, null) is { Kind: RuleValueKind.Time } t && RuleValues.AsNumber(read(subject, now, null)) is { } value
                ? NextTurn(t.Time, value, edges, now)
                : null);
        }

        /// <summary>A drift against an operand that holds still: where <c>v &lt; c</c> (and/or <c>v &lt;= c</c>) next turns.</summary>
        private void Drift(Operand value, Operand bound, Edges edges)
        {
            if (!IsDrift(value) || edges == Edges.None || IsDrift(bound) || bound is DaysSinceOperand)
            {
                return;
            }

            var read = compileRead(value);
            var limit = compileRead(bound);
            Probes.Add((subject, now) =>
            {
                if (RuleValues.AsNumber(limit(subject, now, null)) is not { } c || !double.IsFinite(c) || RuleValues.AsNumber(read(subject, now, null)) is null)
                {
                    return null;
                }

                DateTimeOffset? below = (edges & Edges.Reaches) != 0 ? FirstTurn(t => RuleValues.AsNumber(read(subject, t, null)) < c, now) : null;
                DateTimeOffset? atOrBelow = (edges & Edges.Passes) != 0 ? FirstTurn(t => RuleValues.AsNumber(read(subject, t, null)) <= c, now) : null;
                return below is null ? atOrBelow : atOrBelow is null || below < atOrBelow ? below : atOrBelow;
            });
        }

        private Probe Window(string type, TimeSpan window, RuleNode? where)
        {
            if (where is null)
            {
                return (subject, now) => subject.NextWindowChange(type, window, now, null);
            }

            var filter = compileFilter(where);
            return (subject, now) => subject.NextWindowChange(type, window, now, Bind(filter, subject, now));
        }

        /// <summary><c>days_since(t) in [..]</c>: it only grows, so only the next number of the list at or above it can turn it.</summary>
        private Probe InList(DaysSinceOperand days, IEnumerable<RuleValue> items)
        {
            var numbers = items.Select(i => RuleValues.AsNumber(i)).OfType<double>().Where(double.IsFinite).Distinct().Order().ToArray();
            var time = compileRead(days.Time);
            return (subject, now) =>
            {
                if (numbers.Length == 0 || time(subject, now, null) is not { Kind: RuleValueKind.Time } t)
                {
                    return null;
                }

                var current = Days(now.UtcTicks - t.Time.UtcTicks);
                var at = Array.BinarySearch(numbers, current);
                var next = at >= 0 ? at : ~at;
                return next < numbers.Length ? NextTurn(t.Time, numbers[next], Edges.Both, now) : null;
            };
        }

        /// <summary>
        /// <c>list contains days_since(t)</c> asks whether the list holds the number as text; a string never contains a
        /// number. Read each time (a profile list changes with the profile, which is an input): only items that are
        /// the number's own text can match, each at an instant.
        /// </summary>
        private Probe InContainer(DaysSinceOperand days, Operand container)
        {
            var time = compileRead(days.Time);
            var list = compileRead(container);
            return (subject, now) =>
            {
                if (time(subject, now, null) is not { Kind: RuleValueKind.Time } t
                    || list(subject, now, null) is not { Kind: RuleValueKind.List, Items.IsDefaultOrEmpty: false } held)
                {
                    return null;
                }

                DateTimeOffset? earliest = null;
                Span<char> text = stackalloc char[32];
                foreach (var item in held.Items)
                {
                    if (double.TryParse(item, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                        && double.IsFinite(number)
                        && number.TryFormat(text, out var written, "R", CultureInfo.InvariantCulture)
                        && text[..written].SequenceEqual(item)
                        && NextTurn(t.Time, number, Edges.Both, now) is { } at
                        && (earliest is null || at < earliest))
                    {
                        earliest = at;
                    }
                }

                return earliest;
            };
        }
    }

    // Its own method, so that only windows with a where pay for a closure, once per probe.
    private static Func<IRuleEvent, bool> Bind(Func<IRuleSubject, DateTimeOffset, IRuleEvent?, bool> filter, IRuleSubject subject, DateTimeOffset now) =>
        e => filter(subject, now, e);

    private static Edges EdgesOf(CompareOp op) => op switch
    {
        CompareOp.Less or CompareOp.GreaterOrEqual => Edges.Reaches,
        CompareOp.LessOrEqual or CompareOp.Greater => Edges.Passes,
        CompareOp.Equal or CompareOp.NotEqual => Edges.Both,
        _ => Edges.None,
    };

    /// <summary>The operator seen from the right-hand side: <c>c &lt; d</c> is <c>d &gt; c</c>.</summary>
    private static CompareOp Mirror(CompareOp op) => op switch
    {
        CompareOp.Less => CompareOp.Greater,
        CompareOp.LessOrEqual => CompareOp.GreaterOrEqual,
        CompareOp.Greater => CompareOp.Less,
        CompareOp.GreaterOrEqual => CompareOp.LessOrEqual,
        _ => op,
    };

    /// <summary><c>days_since</c> as evaluation computes it, for a span of <paramref name="ticks"/>.</summary>
    private static double Days(long ticks) => TimeSpan.FromTicks(ticks).TotalDays;

    /// <summary>
    /// The first instant after <paramref name="now"/> at which <c>days_since(<paramref name="time"/>)</c> crosses one of
    /// the <paramref name="edges"/> of <paramref name="value"/>; none when that is outside the calendar.
    /// </summary>
    private static DateTimeOffset? NextTurn(DateTimeOffset time, double value, Edges edges, DateTimeOffset now)
    {
        var elapsed = now.UtcTicks - time.UtcTicks;
        if ((edges & Edges.Reaches) != 0 && FirstTick(time, value, strict: false) is { } reaches && reaches > elapsed)
        {
            return new DateTimeOffset(time.UtcTicks + reaches, TimeSpan.Zero);
        }

        if ((edges & Edges.Passes) != 0 && FirstTick(time, value, strict: true) is { } passes && passes > elapsed)
        {
            return new DateTimeOffset(time.UtcTicks + passes, TimeSpan.Zero);
        }

        return null;
    }

    /// <summary>
    /// The fewest ticks after <paramref name="time"/> at which <c>days_since</c> is ≥ (or, <paramref name="strict"/>,
    /// &gt;) <paramref name="value"/>, within the calendar. Days grow monotonically with ticks, so a search around
    /// value × ticks-per-day finds it exactly, rounding and all, in a few dozen steps.
    /// </summary>
    private static long? FirstTick(DateTimeOffset time, double value, bool strict)
    {
        var min = -time.UtcTicks;
        var max = DateTimeOffset.MaxValue.UtcTicks - time.UtcTicks;
        var estimate = value * TimeSpan.TicksPerDay;
        if (estimate > max + 1e6 || !Holds(max))
        {
            return null;
        }

        if (estimate < min - 1e6 || Holds(min))
        {
            return min;
        }

        var guess = (long)Math.Clamp(estimate, min, max);
        var slack = 16 + (Math.Abs(guess) >> 40);
        var high = Math.Min(max, guess + slack);
        while (!Holds(high))
        {
            slack *= 2;
            high = max - high <= slack ? max : high + slack;
        }

        var low = Math.Max(min, guess - slack);
        while (Holds(low))
        {
            slack *= 2;
            low = low - min <= slack ? min : low - slack;
        }

        // Holds(low) is false, Holds(high) is true.
        while (high - low > 1)
        {
            var middle = low + ((high - low) / 2);
            if (Holds(middle))
            {
                high = middle;
            }
            else
            {
                low = middle;
            }
        }

        return high;

        bool Holds(long ticks) => strict ? Days(ticks) > value : Days(ticks) >= value;
    }

    /// <summary>How far ahead a drift is followed: beyond it, a model's prediction is not worth waking for.</summary>
    private static readonly TimeSpan DriftHorizon = TimeSpan.FromDays(100 * 365.25);

    /// <summary>
    /// The first tick after <paramref name="now"/> at which <paramref name="test"/> differs from its answer now, for a
    /// test that turns at most once (a drift against a still bound): doubling steps from an hour find an instant past
    /// the turn, then halving finds its tick. None within <see cref="DriftHorizon"/>. About 80 evaluations at most.
    /// </summary>
    public static DateTimeOffset? FirstTurn(Func<DateTimeOffset, bool> test, DateTimeOffset now)
    {
        var start = test(now);
        var limit = Math.Min(DateTimeOffset.MaxValue.UtcTicks, now.UtcTicks + Math.Min(DriftHorizon.Ticks, DateTimeOffset.MaxValue.UtcTicks - now.UtcTicks));
        long same = now.UtcTicks, step = TimeSpan.TicksPerHour, turned;
        while (true)
        {
            turned = limit - same <= step ? limit : same + step;
            if (test(new DateTimeOffset(turned, TimeSpan.Zero)) != start)
            {
                break;
            }

            if (turned == limit)
            {
                return null;
            }

            same = turned;
            step *= 2;
        }

        while (turned - same > 1)
        {
            var middle = same + ((turned - same) / 2);
            if (test(new DateTimeOffset(middle, TimeSpan.Zero)) != start)
            {
                turned = middle;
            }
            else
            {
                same = middle;
            }
        }

        return new DateTimeOffset(turned, TimeSpan.Zero);
    }

    /// <summary>
    /// When the age next changes: from none to 0 at the birth, then at midnight (UTC) of each birthday — as the customer
    /// counts it, so 29 February is celebrated on 1 March in other years. None past the calendar.
    /// </summary>
    private static DateTimeOffset? NextAgeChange(DateTimeOffset birth, DateTimeOffset now)
    {
        if (birth > now)
        {
            return birth;
        }

        for (var year = now.Year; year <= DateTimeOffset.MaxValue.Year; year++)
        {
            var candidate = birth.Month == 2 && birth.Day == 29 && !DateTime.IsLeapYear(year)
                ? new DateTimeOffset(year, 3, 1, 0, 0, 0, TimeSpan.Zero)
                : new DateTimeOffset(year, birth.Month, birth.Day, 0, 0, 0, TimeSpan.Zero);
            if (candidate > now)
            {
                return candidate;
            }
        }

        return null;
    }
}
