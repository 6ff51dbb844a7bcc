using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;

namespace CustomerGrains.Grains.Rules;

/// <summary>
/// Recursive descent over the token list. Precedence: <c>not</c> over comparisons over <c>and</c> over
/// <c>or</c>. Type errors that are visible without data are reported here, with their position.
/// </summary>
public sealed partial class Parser
{
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        "and", "or", "not", "in", "contains", "starts_with", "between", "exists", "where", "true", "false",
        "count", "sum", "days_since", "profile", "null", "in_segment",
        "expected_orders", "lookalike",
    };

    private const double MaxWindowDays = 3660;

    private readonly List<Token> _tokens;
    private int _next;
    private int _depth;
    private bool _inWhere;

    private Parser(List<Token> tokens) => _tokens = tokens;

    public static RuleNode Parse(string text)
    {
        if (text.Length > RuleSchema.MaxLength)
        {
            throw new RuleSyntaxException(RuleSchema.MaxLength, $"a rule of at most {RuleSchema.MaxLength} characters", $"{text.Length} characters");
        }

        return Parse(Lexer.Tokenize(text));
    }

    /// <summary>Parses tokens lexed from a rule text or read from its JSON tree (ending with an End token).</summary>
    internal static RuleNode Parse(List<Token> tokens)
    {
        var parser = new Parser(tokens);
        var node = parser.ParseOr();
        parser.Expect(TokenKind.End, "'and', 'or' or the end of the rule");
        return node;
    }

    private Token Peek => _tokens[_next];

    private RuleNode ParseOr()
    {
        var start = Peek.Position;
        var items = ImmutableArray.CreateBuilder<RuleNode>();
        items.Add(ParseAnd());
        while (IsKeyword("or"))
        {
            _next++;
            items.Add(ParseAnd());
        }

        return items.Count == 1 ? items[0] : new OrNode(start, items.ToImmutable());
    }

    private RuleNode ParseAnd()
    {
        var start = Peek.Position;
        var items = ImmutableArray.CreateBuilder<RuleNode>();
        items.Add(ParseNot());
        while (IsKeyword("and"))
        {
            _next++;
            items.Add(ParseNot());
        }

        return items.Count == 1 ? items[0] : new AndNode(start, items.ToImmutable());
    }

    private RuleNode ParseNot()
    {
        if (IsKeyword("not"))
        {
            var position = Take().Position;
            return Nested(() => new NotNode(position, ParseNot()));
        }

        return ParsePredicate();
    }

    private RuleNode ParsePredicate()
    {
        var start = Peek;
        if (IsSymbol("("))
        {
            _next++;
            var inner = Nested(ParseOr);
            Expect(")", "')'");
            return inner;
        }

        if (IsKeyword("in_segment") && !_inWhere)
        {
            _next++;
            Expect("(", "'(' after in_segment");
            var id = Peek;
            if (id.Kind != TokenKind.String || !SegmentId().IsMatch(id.Text))
            {
                throw new RuleSyntaxException(id.Position, "a segment id in quotes, such as \"vip\"", id.Describe());
            }

            _next++;
            Expect(")", "')'");
            return new InSegmentNode(start.Position, id.Text);
        }

        if (IsKeyword("exists"))
        {
            _next++;
            Expect("(", "'(' after exists");
            var operand = ParseOperand();
            Expect(")", "')'");
            return new ExistsNode(start.Position, operand);
        }

        var left = ParseOperand();
        if (Peek.Kind == TokenKind.Symbol && Peek.Text is "==" or "!=" or "<" or "<=" or ">" or ">=")
        {
            var op = Take();
            var right = ParseOperand();
            CheckComparable(left, right, op);
            if (op.Text is not ("==" or "!=") && (Resolved(left, right) is RuleType.List or RuleType.Bool))
            {
                throw new RuleSyntaxException(op.Position, "'==' or '!=' for this type", op.Describe());
            }

            return new CompareNode(start.Position, Coerce(left, right), op.Text, Coerce(right, left));
        }

        if (IsKeyword("not"))
        {
            _next++;
            if (!IsKeyword("in"))
            {
                throw new RuleSyntaxException(Peek.Position, "'in' after 'not'", Peek.Describe());
            }

            _next++;
            return new InNode(start.Position, left, ParseList(left), Negated: true);
        }

        if (IsKeyword("in"))
        {
            _next++;
            return new InNode(start.Position, left, ParseList(left), Negated: false);
        }

        if (IsKeyword("contains"))
        {
            var op = Take();
            if (left.Type is not (RuleType.List or RuleType.String or RuleType.Any))
            {
                throw new RuleSyntaxException(op.Position, "a list or string before 'contains'", $"a {left.Type.ToString().ToLowerInvariant()}");
            }

            return new ContainsNode(start.Position, left, ParseOperand());
        }

        if (IsKeyword("starts_with"))
        {
            var op = Take();
            var prefix = ParseOperand();
            if (left.Type is not (RuleType.String or RuleType.Any) || prefix.Type is not (RuleType.String or RuleType.Any))
            {
                throw new RuleSyntaxException(op.Position, "strings on both sides of 'starts_with'", $"a {(left.Type is RuleType.String or RuleType.Any ? prefix.Type : left.Type).ToString().ToLowerInvariant()}");
            }

            return new StartsWithNode(start.Position, left, prefix);
        }

        if (IsKeyword("between"))
        {
            var op = Take();
            var low = ParseOperand();
            if (!IsKeyword("and"))
            {
                throw new RuleSyntaxException(Peek.Position, "'and' between the bounds", Peek.Describe());
            }

            _next++;
            var high = ParseOperand();
            CheckComparable(left, low, op);
            CheckComparable(left, high, op);
            return new BetweenNode(start.Position, left, Coerce(low, left), Coerce(high, left));
        }

        if (IsKeyword("exists"))
        {
            _next++;
            return new ExistsNode(start.Position, left);
        }

        if (left.Type is RuleType.Bool or RuleType.Any)
        {
            return new TruthNode(start.Position, left);
        }

        throw new RuleSyntaxException(Peek.Position, "a comparison ('==', '>', 'in', 'contains', …) after the field", Peek.Describe());
    }

    private Operand ParseOperand()
    {
        var token = Peek;
        switch (token.Kind)
        {
            case TokenKind.Number:
                _next++;
                if (!double.TryParse(token.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || !double.IsFinite(number))
                {
                    throw new RuleSyntaxException(token.Position, "a number", token.Describe());
                }

                return new LiteralOperand(token.Position, RuleValue.Of(number), RuleType.Number);
            case TokenKind.String:
                _next++;
                return new LiteralOperand(token.Position, RuleValue.Of(token.Text), RuleType.String);
            case TokenKind.Duration:
                throw new RuleSyntaxException(token.Position, "a value (durations such as 30d are only valid as a window)", token.Describe());
            case TokenKind.Symbol when token.Text == "[":
                throw new RuleSyntaxException(token.Position, "a single value (lists go after 'in')", token.Describe());
            case TokenKind.Identifier:
                return ParseNamed();
            default:
                throw new RuleSyntaxException(token.Position, "a field, number or string", token.Describe());
        }
    }

    private Operand ParseNamed()
    {
        var token = Take();
        switch (token.Text)
        {
            case "true" or "false":
                return new LiteralOperand(token.Position, RuleValue.Of(token.Text == "true"), RuleType.Bool);
            case "profile":
                Expect(".", "'.' after profile");
                var field = ExpectIdentifier("a profile field name");
                return new ProfileOperand(token.Position, field.Text, RuleSchema.Profile.GetValueOrDefault(field.Text, RuleType.Any));
            case "count":
                return ParseAggregate(token, isSum: false);
            case "sum":
                return ParseAggregate(token, isSum: true);
            case "days_since":
                Expect("(", "'(' after days_since");
                var time = ParseOperand();
                if (time.Type is not (RuleType.Time or RuleType.Any) || time is LiteralOperand)
                {
                    throw new RuleSyntaxException(time.Position, "a time field such as last_order", $"a {time.Type.ToString().ToLowerInvariant()}");
                }

                Expect(")", "')'");
                return new DaysSinceOperand(token.Position, time);
            case "expected_orders":
                Expect("(", "'(' after expected_orders");
                var horizon = ParseDuration("a horizon such as 30d or 12w");
                Expect(")", "')'");
                return new ExpectedOrdersOperand(token.Position, horizon);
            case "lookalike":
                Expect("(", "'(' after lookalike");
                var model = Peek;
                if (model.Kind != TokenKind.String || model.Text.Length == 0)
                {
                    throw new RuleSyntaxException(model.Position, "a lookalike model id in quotes", model.Describe());
                }

                _next++;
                Expect(")", "')'");
                return new LookalikeOperand(token.Position, model.Text);
        }

        if (_inWhere && !Reserved.Contains(token.Text))
        {
            return new PropertyOperand(token.Position, token.Text);
        }

        if (token.Text == "rfm")
        {
            Expect(".", "'.' and r, f, m or class after rfm");
            var part = ExpectIdentifier("r, f, m or class");
            if (part.Text is not ("r" or "f" or "m" or "class"))
            {
                throw new RuleSyntaxException(part.Position, "r, f, m or class after rfm.", part.Describe());
            }

            return new TraitOperand(token.Position, $"rfm.{part.Text}", RuleSchema.Traits[$"rfm.{part.Text}"]);
        }

        if (RuleSchema.Traits.TryGetValue(token.Text, out var type))
        {
            return new TraitOperand(token.Position, token.Text, type);
        }

        throw new RuleSyntaxException(token.Position, $"a field ({string.Join(", ", RuleSchema.Traits.Keys)}, profile.<name>, count, sum, days_since, expected_orders, lookalike)", $"unknown field '{token.Text}'");
    }

    private Operand ParseAggregate(Token call, bool isSum)
    {
        Expect("(", $"'(' after {call.Text}");
        var type = ExpectIdentifier("an event type");
        if (!EventType().IsMatch(type.Text))
        {
            throw new RuleSyntaxException(type.Position, "an event type matching [a-z][a-z0-9_]{0,63}", type.Describe());
        }

        string? property = null;
        if (isSum)
        {
            Expect(".", "'.' and the property to sum, as in order_completed.revenue");
            property = ExpectIdentifier("the property to sum").Text;
        }

        RuleNode? where = null;
        if (IsKeyword("where"))
        {
            _next++;
            var outer = _inWhere;
            _inWhere = true;
            where = Nested(ParseOr);
            _inWhere = outer;
        }

        Expect(",", "',' and a window such as 30d");
        var duration = ParseDuration("a window such as 12h, 30d or 8w");

        Expect(")", "')'");
        return isSum
            ? new SumOperand(call.Position, type.Text, property!, where, duration)
            : new CountOperand(call.Position, type.Text, where, duration);
    }

    /// <summary>A window or horizon: whole minutes, hours, days or weeks, from 1 minute to 10 years.</summary>
    private Duration ParseDuration(string expected)
    {
        var window = Peek;
        if (window.Kind != TokenKind.Duration)
        {
            throw new RuleSyntaxException(window.Position, expected, window.Describe());
        }

        _next++;
        var unit = window.Text[^1];
        if (!long.TryParse(window.Text.AsSpan(0, window.Text.Length - 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var amount))
        {
            // "1.5d", or more digits than a window can have.
            throw new RuleSyntaxException(window.Position, "a window of whole minutes, hours, days or weeks between 1 minute and 10 years", window.Describe());
        }

        // Bounded in days before a TimeSpan is made of it, which would overflow.
        var days = unit switch { 'm' => amount / 1440.0, 'h' => amount / 24.0, 'd' => amount, _ => amount * 7.0 };
        if (amount <= 0 || days > MaxWindowDays)
        {
            throw new RuleSyntaxException(window.Position, "a window between 1 minute and 10 years", window.Describe());
        }

        return new Duration(amount, unit);
    }

    private ImmutableArray<RuleValue> ParseList(Operand left)
    {
        var open = Peek;
        Expect("[", "'[' and a list of values");
        var items = ImmutableArray.CreateBuilder<RuleValue>();
        while (!IsSymbol("]"))
        {
            if (items.Count > 0)
            {
                Expect(",", "',' or ']'");
            }

            var item = ParseOperand();
            if (item is not LiteralOperand literal)
            {
                throw new RuleSyntaxException(item.Position, "a literal value in the list", "a field");
            }

            CheckComparable(left, literal, open);
            items.Add(Coerce(literal, left) is LiteralOperand coerced ? coerced.Value : literal.Value);
            if (items.Count > RuleSchema.MaxListItems)
            {
                throw new RuleSyntaxException(item.Position, $"at most {RuleSchema.MaxListItems} list items", "more");
            }
        }

        _next++;
        return items.ToImmutable();
    }

    private static RuleType Resolved(Operand a, Operand b) => a.Type != RuleType.Any ? a.Type : b.Type;

    /// <summary>Known types must agree; a string literal next to a time must be an ISO 8601 instant.</summary>
    private static void CheckComparable(Operand left, Operand right, Token op)
    {
        if (left.Type == RuleType.Any || right.Type == RuleType.Any || left.Type == right.Type)
        {
            return;
        }

        if (left.Type == RuleType.List && right.Type == RuleType.String)
        {
            return;
        }

        if ((left.Type, right) is (RuleType.Time, LiteralOperand { LiteralType: RuleType.String } literal))
        {
            if (!DateTimeOffset.TryParse(literal.Value.Text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _))
            {
                throw new RuleSyntaxException(literal.Position, "an ISO 8601 time such as \"2026-01-31T00:00:00Z\"", $"\"{literal.Value.Text}\"");
            }

            return;
        }

        throw new RuleSyntaxException(right.Position, $"a {left.Type.ToString().ToLowerInvariant()} to compare with", $"a {right.Type.ToString().ToLowerInvariant()} near {op.Describe()}");
    }

    private static Operand Coerce(Operand operand, Operand other) =>
        (operand, other.Type) is (LiteralOperand { LiteralType: RuleType.String } literal, RuleType.Time)
            ? new LiteralOperand(literal.Position, RuleValue.Of(DateTimeOffset.Parse(literal.Value.Text!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)), RuleType.Time)
            : operand;

    private T Nested<T>(Func<T> parse)
    {
        if (++_depth > RuleSchema.MaxDepth)
        {
            throw new RuleSyntaxException(Peek.Position, $"at most {RuleSchema.MaxDepth} levels of nesting", "deeper nesting");
        }

        try
        {
            return parse();
        }
        finally
        {
            _depth--;
        }
    }

    private bool IsKeyword(string word) => Peek.Kind == TokenKind.Identifier && Peek.Text == word;

    private bool IsSymbol(string symbol) => Peek.Kind == TokenKind.Symbol && Peek.Text == symbol;

    private Token Take() => _tokens[_next++];

    private void Expect(string symbol, string expected)
    {
        if (!IsSymbol(symbol))
        {
            throw new RuleSyntaxException(Peek.Position, expected, Peek.Describe());
        }

        _next++;
    }

    private void Expect(TokenKind kind, string expected)
    {
        if (Peek.Kind != kind)
        {
            throw new RuleSyntaxException(Peek.Position, expected, Peek.Describe());
        }

        _next++;
    }

    private Token ExpectIdentifier(string expected)
    {
        if (Peek.Kind != TokenKind.Identifier)
        {
            throw new RuleSyntaxException(Peek.Position, expected, Peek.Describe());
        }

        return Take();
    }

    [GeneratedRegex("^[a-z][a-z0-9_]{0,63}$")]
    private static partial Regex EventType();

    [GeneratedRegex("^[a-z][a-z0-9_-]{0,63}$")]
    private static partial Regex SegmentId();
}
