using System.Globalization;
using System.Text.Json;

namespace CustomerGrains.Grains.Rules;

/// <summary>Parses rule text (or its JSON tree) and compiles it to a delegate over an <see cref="IRuleSubject"/>.</summary>
public static class RuleCompiler
{
    private delegate RuleValue Reader(IRuleSubject subject, DateTimeOffset now, IRuleEvent? e);

    private delegate bool Test(IRuleSubject subject, DateTimeOffset now, IRuleEvent? e);

    public static CompiledRule Compile(string text)
    {
        var ast = Parse(text, out var canonical);
        return Compile(ast, canonical);
    }

    /// <summary>
    /// The tree of a rule text, with every check a stored rule must pass; <paramref name="canonical"/> is the text
    /// that is stored, written from the tree.
    /// </summary>
    public static RuleNode Parse(string text, out string canonical) => Checked(Parser.Parse(text), text.Length, out canonical);

    /// <summary>As <see cref="Parse"/>, for the JSON tree form: read once into a tree, never into text and back.</summary>
    public static RuleNode ParseJson(JsonElement json, out string canonical)
    {
        var tokens = RuleJsonReader.Tokens(json);

        // The end token sits at the length of the text the tree stands for.
        return Checked(Parser.Parse(tokens), tokens[^1].Position, out canonical);
    }

    // textLength: of the text the rule came as, or that its tree stands for; a too long canonical form is reported there.
    private static RuleNode Checked(RuleNode ast, int textLength, out string canonical)
    {
        canonical = RuleText.Write(ast);
        if (canonical.Length > RuleSchema.MaxLength)
        {
            // The canonical text is what is stored and compiled again; it must fit the limit too.
            throw new RuleSyntaxException(
                Math.Min(textLength, RuleSchema.MaxLength),
                $"a rule whose canonical form (single spaces around operators) fits {RuleSchema.MaxLength} characters",
                $"{canonical.Length} characters");
        }

        return ast;
    }

    /// <summary>
    /// Compiles a tree that is already checked (from <see cref="Parse"/>, or composed of checked trees) without
    /// reading any text again.
    /// </summary>
    public static CompiledRule Compile(RuleNode ast) => Compile(ast, RuleText.Write(ast));

    private static CompiledRule Compile(RuleNode ast, string canonical)
    {
        var test = Build(ast);
        var deadline = DeadlineCompiler.Compile(
            ast,
            node => new Func<IRuleSubject, DateTimeOffset, IRuleEvent?, bool>(Build(node).Invoke),
            operand => new Func<IRuleSubject, DateTimeOffset, IRuleEvent?, RuleValue>(Read(operand).Invoke));
        return new CompiledRule(ast, canonical, (subject, now) => test(subject, now, null), deadline);
    }

    public static CompiledRule CompileJson(JsonElement json)
    {
        var ast = ParseJson(json, out var canonical);
        return Compile(ast, canonical);
    }

    public static bool TryCompile(string text, out CompiledRule? rule, out RuleSyntaxException? error)
    {
        try
        {
            rule = Compile(text);
            error = null;
            return true;
        }
        catch (RuleSyntaxException e)
        {
            rule = null;
            error = e;
            return false;
        }
    }

    /// <summary>
    /// Whether one node of a rule holds, by the very code that builds the rule's delegate: what an explanation shows
    /// for a sub-tree is what the evaluation decides with it.
    /// </summary>
    internal static bool Holds(RuleNode node, IRuleSubject subject, DateTimeOffset now) => Build(node)(subject, now, null);

    /// <summary>An operand's value as a compiled rule reads it (outside a <c>where</c>).</summary>
    internal static RuleValue Value(Operand operand, IRuleSubject subject, DateTimeOffset now) => Read(operand)(subject, now, null);

    private static Test Build(RuleNode node)
    {
        switch (node)
        {
            // Every segment of every touched customer runs through these: plain loops, no closure per evaluation.
            case AndNode and:
                var all = and.Items.Select(Build).ToArray();
                return (s, now, e) =>
                {
                    foreach (var test in all)
                    {
                        if (!test(s, now, e))
                        {
                            return false;
                        }
                    }

                    return true;
                };
            case OrNode or:
                var any = or.Items.Select(Build).ToArray();
                return (s, now, e) =>
                {
                    foreach (var test in any)
                    {
                        if (test(s, now, e))
                        {
                            return true;
                        }
                    }

                    return false;
                };
            case NotNode not:
                var inner = Build(not.Inner);
                return (s, now, e) => !inner(s, now, e);
            case CompareNode compare:
                var left = Read(compare.Left);
                var right = Read(compare.Right);
                var op = RuleValues.Operator(compare.Op);
                return (s, now, e) => RuleValues.Compare(left(s, now, e), op, right(s, now, e));
            case InNode @in:
                var value = Read(@in.Value);
                var items = @in.Items;
                var negated = @in.Negated;
                return (s, now, e) =>
                {
                    var v = value(s, now, e);
                    if (v.IsNull)
                    {
                        return negated;
                    }

                    foreach (var item in items)
                    {
                        if (RuleValues.Matches(v, item))
                        {
                            return !negated;
                        }
                    }

                    return negated;
                };
            case ContainsNode contains:
                var container = Read(contains.Container);
                var needle = Read(contains.Value);
                return (s, now, e) => RuleValues.Contains(container(s, now, e), needle(s, now, e));
            case StartsWithNode starts:
                var text = Read(starts.Value);
                var prefix = Read(starts.Prefix);
                return (s, now, e) => text(s, now, e) is { Kind: RuleValueKind.String } t
                    && prefix(s, now, e) is { Kind: RuleValueKind.String } p
                    && t.Text!.StartsWith(p.Text!, StringComparison.Ordinal);
            case BetweenNode between:
                var v1 = Read(between.Value);
                var low = Read(between.Low);
                var high = Read(between.High);
                return (s, now, e) =>
                {
                    var v = v1(s, now, e);
                    return RuleValues.Compare(in v, CompareOp.GreaterOrEqual, low(s, now, e)) && RuleValues.Compare(in v, CompareOp.LessOrEqual, high(s, now, e));
                };
            case ExistsNode exists:
                var read = Read(exists.Value);
                return (s, now, e) => read(s, now, e) is var v && !v.IsNull && !(v.Kind == RuleValueKind.List && v.Items.IsDefaultOrEmpty);
            case InSegmentNode inSegment:
                var segmentId = inSegment.SegmentId;
                return (s, _, _) => s.InSegment(segmentId);
            case TruthNode truth:
                var flag = Read(truth.Value);
                return (s, now, e) => flag(s, now, e) is { Kind: RuleValueKind.Bool, Number: not 0 };
            default:
                throw new InvalidOperationException($"no compiler for {node.GetType().Name}");
        }
    }

    private static Reader Read(Operand operand)
    {
        switch (operand)
        {
            case LiteralOperand literal:
                var value = literal.Value;
                return (_, _, _) => value;
            case ProfileOperand profile:
                var field = profile.Name;
                return (s, now, _) => s.Profile(field, now);
            case TraitOperand trait:
                var name = trait.Name;
                return (s, now, _) => s.Trait(name, now);
            case PropertyOperand property:
                var prop = property.Name;
                return (_, _, e) => e is null ? RuleValue.Null : e.Property(prop);
            case CountOperand count:
                var countType = count.EventType;
                var countWindow = count.Window.Span;
                var countWhere = count.Where is null ? null : Build(count.Where);
                return (s, now, _) => RuleValue.Of(s.Count(countType, countWindow, now, Filter(countWhere, s, now)));
            case SumOperand sum:
                var sumType = sum.EventType;
                var sumProperty = sum.Property;
                var sumWindow = sum.Window.Span;
                var sumWhere = sum.Where is null ? null : Build(sum.Where);
                return (s, now, _) => RuleValue.Of(s.Sum(sumType, sumProperty, sumWindow, now, Filter(sumWhere, s, now)));
            case DaysSinceOperand days:
                var time = Read(days.Time);
                return (s, now, e) => time(s, now, e) is { Kind: RuleValueKind.Time } t
                    ? RuleValue.Of((now - t.Time).TotalDays)
                    : RuleValue.Null;
            case ExpectedOrdersOperand expected:
                var horizon = expected.Horizon.Span;
                return (s, now, _) => s.ExpectedOrders(horizon, now);
            case LookalikeOperand lookalike:
                var model = lookalike.Model;
                return (s, now, _) => s.Lookalike(model, now);
            default:
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"no reader for {operand.GetType().Name}"));
        }
    }

    // The closure is made in its own method: captured in Filter, its state would be allocated on every
    // aggregate read, with or without a where.
    private static Func<IRuleEvent, bool>? Filter(Test? where, IRuleSubject subject, DateTimeOffset now) =>
        where is null ? null : Bind(where, subject, now);

    private static Func<IRuleEvent, bool> Bind(Test where, IRuleSubject subject, DateTimeOffset now) =>
        e => where(subject, now, e);
}
