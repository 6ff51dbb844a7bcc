using System.Text.Json;

namespace CustomerGrains.Grains.Rules;

/// <summary>
/// Reads the JSON tree form of a rule (<see cref="RuleJson"/>) into the tokens its text would lex to, for the
/// <see cref="Parser"/>: a tree is parsed once, with the checks and error positions of the text, without being
/// written out as one text and read back.
/// </summary>
/// <remarks>
/// The reader keeps the pieces of that text in order: structural words and symbols as tokens, and the values the
/// client wrote (names, numbers, strings, windows) as text that the <see cref="Lexer"/> reads, so a value is held
/// to exactly the rules of the text form. Positions are offsets in the text the pieces would make.
/// </remarks>
internal sealed class RuleJsonReader
{
    /// <summary>A piece of the equivalent text: a token of a known kind, or (Kind null) a value to lex.</summary>
    private readonly List<(string Text, TokenKind? Kind)> _pieces = [];

    private RuleJsonReader()
    {
    }

    /// <summary>The tokens of a tree; structural mistakes name their JSON path, mistakes in a value its position.</summary>
    public static List<Token> Tokens(JsonElement json)
    {
        var reader = new RuleJsonReader();
        reader.Node(json, "$", 0);
        return reader.Lex();
    }

    /// <summary>The text the tree is equivalent to.</summary>
    public static string Text(JsonElement json)
    {
        var reader = new RuleJsonReader();
        reader.Node(json, "$", 0);
        return string.Concat(reader._pieces.Select(p => p.Text));
    }

    private List<Token> Lex()
    {
        var length = _pieces.Sum(p => p.Text.Length);
        if (length > RuleSchema.MaxLength)
        {
            // As the parser says of a text this long, before reading any of it.
            throw new RuleSyntaxException(RuleSchema.MaxLength, $"a rule of at most {RuleSchema.MaxLength} characters", $"{length} characters");
        }

        var tokens = new List<Token>(_pieces.Count);
        var position = 0;
        foreach (var (text, kind) in _pieces)
        {
            if (kind is { } known)
            {
                tokens.Add(new Token(known, text, position));
            }
            else if (text != " ")
            {
                Lexer.Append(text, position, tokens);
            }

            position += text.Length;
        }

        tokens.Add(new Token(TokenKind.End, "", position));
        return tokens;
    }

    private void Word(string word) => _pieces.Add((word, TokenKind.Identifier));

    private void Symbol(string symbol) => _pieces.Add((symbol, TokenKind.Symbol));

    private void Value(string text) => _pieces.Add((text, null));

    private void Space() => _pieces.Add((" ", null));

    /// <summary>Writes a node and returns its precedence: 1 or, 2 and, 3 not, 4 a predicate.</summary>
    private int Node(JsonElement json, string path, int depth)
    {
        if (depth > RuleSchema.MaxDepth)
        {
            throw Error(path, $"at most {RuleSchema.MaxDepth} levels of nesting");
        }

        if (json.ValueKind != JsonValueKind.Object)
        {
            throw Error(path, "a rule node object ({\"and\": …}, {\"op\": …})");
        }

        if (json.TryGetProperty("and", out var and))
        {
            Joined(and, "and", 2, $"{path}.and", depth);
            return 2;
        }

        if (json.TryGetProperty("or", out var or))
        {
            Joined(or, "or", 1, $"{path}.or", depth);
            return 1;
        }

        if (json.TryGetProperty("in_segment", out var segment))
        {
            if (segment.ValueKind != JsonValueKind.String)
            {
                throw Error($"{path}.in_segment", "a segment id string");
            }

            Word("in_segment");
            Symbol("(");
            Value(RuleText.Quote(Text(segment, $"{path}.in_segment")));
            Symbol(")");
            return 4;
        }

        if (json.TryGetProperty("not", out var not))
        {
            Word("not");
            Space();
            Inner(not, 3, $"{path}.not", depth + 1);
            return 3;
        }

        var op = json.TryGetProperty("op", out var o) && o.ValueKind == JsonValueKind.String
            ? Text(o, $"{path}.op")
            : throw Error($"{path}.op", "\"and\", \"or\", \"not\" or \"op\"");

        // The left operand is read (and its mistakes reported) before the operator is known.
        var start = _pieces.Count;
        Operand(Required(json, "left", path), $"{path}.left", depth);
        switch (op)
        {
            case "==" or "!=" or "<" or "<=" or ">" or ">=":
                Space();
                Symbol(op);
                Space();
                Operand(Required(json, "right", path), $"{path}.right", depth);
                break;
            case "contains" or "starts_with":
                Space();
                Word(op);
                Space();
                Operand(Required(json, "right", path), $"{path}.right", depth);
                break;
            case "in" or "not in":
                Space();
                if (op == "not in")
                {
                    Word("not");
                    Space();
                }

                Word("in");
                Space();
                List(Required(json, "right", path), $"{path}.right");
                break;
            case "between":
                Space();
                Word("between");
                Space();
                Operand(Required(json, "low", path), $"{path}.low", depth);
                Space();
                Word("and");
                Space();
                Operand(Required(json, "high", path), $"{path}.high", depth);
                break;
            case "exists":
                _pieces.InsertRange(start, [("exists", TokenKind.Identifier), ("(", TokenKind.Symbol)]);
                Symbol(")");
                break;
            case "is_true":
                break;
            default:
                throw Error($"{path}.op", "a known operator");
        }

        return 4;
    }

    /// <summary>A child node, in parentheses when it binds more loosely than its parent.</summary>
    private void Inner(JsonElement json, int parentPrecedence, string path, int depth)
    {
        var start = _pieces.Count;
        if (Node(json, path, depth) < parentPrecedence)
        {
            _pieces.Insert(start, ("(", TokenKind.Symbol));
            Symbol(")");
        }
    }

    private void Joined(JsonElement items, string word, int precedence, string path, int depth)
    {
        if (items.ValueKind != JsonValueKind.Array || items.GetArrayLength() == 0)
        {
            throw Error(path, "a non-empty array of rule nodes");
        }

        var i = 0;
        foreach (var item in items.EnumerateArray())
        {
            if (i > 0)
            {
                Space();
                Word(word);
                Space();
            }

            Inner(item, precedence, $"{path}[{i++}]", depth + 1);
        }
    }

    private void Operand(JsonElement json, string path, int depth)
    {
        if (depth > RuleSchema.MaxDepth)
        {
            throw Error(path, $"at most {RuleSchema.MaxDepth} levels of nesting");
        }

        switch (json.ValueKind)
        {
            case JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False:
                Value(json.GetRawText());
                return;
            case JsonValueKind.String:
                Value(RuleText.Quote(Text(json, path)));
                return;
            case JsonValueKind.Object when json.EnumerateObject().Count() == 1:
                var member = json.EnumerateObject().First();
                switch (member.Name)
                {
                    case "field":
                        Value(Field(member.Value, $"{path}.field"));
                        return;
                    case "property":
                        Value(Identifier(member.Value, $"{path}.property"));
                        return;
                    case "profile":
                        Value("profile." + Identifier(member.Value, $"{path}.profile"));
                        return;
                    case "days_since":
                        Word("days_since");
                        Symbol("(");
                        Operand(member.Value, $"{path}.days_since", depth + 1);
                        Symbol(")");
                        return;
                    case "count" or "sum":
                        Aggregate(member.Name, member.Value, $"{path}.{member.Name}", depth);
                        return;
                    case "expected_orders":
                        if (member.Value.ValueKind != JsonValueKind.String)
                        {
                            throw Error($"{path}.expected_orders", "a horizon string such as \"90d\"");
                        }

                        Word("expected_orders");
                        Symbol("(");
                        Value(Window(member.Value, $"{path}.expected_orders"));
                        Symbol(")");
                        return;
                    case "lookalike":
                        if (member.Value.ValueKind != JsonValueKind.String)
                        {
                            throw Error($"{path}.lookalike", "a lookalike model id string");
                        }

                        Word("lookalike");
                        Symbol("(");
                        Value(RuleText.Quote(Text(member.Value, $"{path}.lookalike")));
                        Symbol(")");
                        return;
                }

                break;
        }

        throw Error(path, "an operand: a literal, field, profile, property, count, sum, days_since, expected_orders or lookalike");
    }

    private void Aggregate(string name, JsonElement json, string path, int depth)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            throw Error(path, "an object {type, window, where?}");
        }

        var type = Identifier(Required(json, "type", path), $"{path}.type");
        Word(name);
        Symbol("(");
        Value(name == "sum" ? $"{type}.{Identifier(Required(json, "property", path), $"{path}.property")}" : type);
        if (json.TryGetProperty("where", out var where) && where.ValueKind != JsonValueKind.Null)
        {
            Space();
            Word("where");
            Space();
            Node(where, $"{path}.where", depth + 1);
        }

        var window = Required(json, "window", path);
        if (window.ValueKind != JsonValueKind.String)
        {
            throw Error($"{path}.window", "a window string such as \"30d\"");
        }

        Symbol(",");
        Space();
        Value(Window(window, $"{path}.window"));
        Symbol(")");
    }

    private void List(JsonElement json, string path)
    {
        if (json.ValueKind != JsonValueKind.Array)
        {
            throw Error(path, "an array of literals");
        }

        Symbol("[");
        var i = 0;
        foreach (var item in json.EnumerateArray())
        {
            if (i > 0)
            {
                Symbol(",");
                Space();
            }

            Value(item.ValueKind switch
            {
                JsonValueKind.String => RuleText.Quote(Text(item, $"{path}[{i}]")),
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => item.GetRawText(),
                _ => throw Error($"{path}[{i}]", "a literal"),
            });
            i++;
        }

        Symbol("]");
    }

    private static string Identifier(JsonElement json, string path) =>
        json.ValueKind == JsonValueKind.String && Text(json, path) is var s && IsName(s)
            ? s
            : throw Error(path, "a name of letters, digits and '_'");

    /// <summary>A trait name; the RFM parts are written as in the text (<c>rfm.class</c>).</summary>
    private static string Field(JsonElement json, string path) =>
        json.ValueKind == JsonValueKind.String && Text(json, path) is var s && IsName(s.StartsWith("rfm.", StringComparison.Ordinal) ? s[4..] : s)
            ? s
            : throw Error(path, "a field name of letters, digits and '_' (or rfm.r, rfm.f, rfm.m, rfm.class)");

    private static bool IsName(string s) => s.Length is > 0 and <= 64 && s.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    /// <summary>A window such as <c>30d</c>: digits and a unit, nothing that could carry more rule text.</summary>
    private static string Window(JsonElement json, string path) =>
        Text(json, path) is { Length: > 1 and <= 24 } s && s[..^1].All(char.IsAsciiDigit) && s[^1] is 'm' or 'h' or 'd' or 'w'
            ? s
            : throw Error(path, "a window such as \"30d\" (whole minutes m, hours h, days d or weeks w)");

    /// <summary>A JSON string; an escaped unpaired surrogate (<c>"\ud800"</c>) cannot become text.</summary>
    private static string Text(JsonElement json, string path)
    {
        try
        {
            return json.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw Error(path, "a string of valid Unicode");
        }
    }

    private static JsonElement Required(JsonElement json, string name, string path) =>
        json.TryGetProperty(name, out var value) ? value : throw Error($"{path}.{name}", $"a '{name}' member");

    private static RuleSyntaxException Error(string path, string expected) => new(-1, expected, $"something else at {path}");
}
