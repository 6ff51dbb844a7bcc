using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CustomerGrains.Grains.Rules;

/// <summary>
/// The JSON tree form of a rule, equivalent to the text:
/// <code>
/// {"and": [node, …]}   {"or": [node, …]}   {"not": node}
/// {"op": "==|!=|&lt;|&lt;=|&gt;|&gt;=|contains|starts_with", "left": operand, "right": operand}
/// {"op": "in|not in", "left": operand, "right": [literal, …]}
/// {"op": "between", "left": operand, "low": operand, "high": operand}
/// {"op": "exists", "left": operand}      {"op": "is_true", "left": operand}      {"in_segment": "vip"}
/// operand: a JSON literal (number, string, boolean) | {"field": "orders"} | {"profile": "country"}
///        | {"property": "category"} (inside where) | {"days_since": operand}
///        | {"count": {"type": "visit", "window": "30d", "where": node?}}
///        | {"sum": {"type": "order_completed", "property": "revenue", "window": "365d", "where": node?}}
/// </code>
/// JSON is turned into canonical text and parsed, so both forms share one set of checks.
/// </summary>
public static class RuleJson
{
    public static JsonNode ToJson(RuleNode node) => node switch
    {
        AndNode and => new JsonObject { ["and"] = new JsonArray([.. and.Items.Select(ToJson)]) },
        OrNode or => new JsonObject { ["or"] = new JsonArray([.. or.Items.Select(ToJson)]) },
        NotNode not => new JsonObject { ["not"] = ToJson(not.Inner) },
        CompareNode c => Op(c.Op, c.Left, ("right", Operand(c.Right))),
        InNode i => Op(i.Negated ? "not in" : "in", i.Value, ("right", new JsonArray([.. i.Items.Select(Literal)]))),
        ContainsNode c => Op("contains", c.Container, ("right", Operand(c.Value))),
        StartsWithNode s => Op("starts_with", s.Value, ("right", Operand(s.Prefix))),
        BetweenNode b => Op("between", b.Value, ("low", Operand(b.Low)), ("high", Operand(b.High))),
        ExistsNode e => Op("exists", e.Value),
        TruthNode t => Op("is_true", t.Value),
        InSegmentNode i => new JsonObject { ["in_segment"] = i.SegmentId },
        _ => throw new InvalidOperationException(node.GetType().Name),
    };

    /// <summary>Canonical-ish rule text for a JSON tree; structural mistakes name their JSON path.</summary>
    /// <remarks>
    /// Parentheses are written only where precedence needs them, as <see cref="RuleText"/> does, so a tree
    /// nests exactly as deep as its text and a rule within the depth limit stays within it in either form.
    /// </remarks>
    public static string ToText(JsonElement json) => Node(json, "$", 0).Text;

    private static JsonObject Op(string op, Operand left, params (string Name, JsonNode Value)[] more)
    {
        var result = new JsonObject { ["op"] = op, ["left"] = Operand(left) };
        foreach (var (name, value) in more)
        {
            result[name] = value;
        }

        return result;
    }

    private static JsonNode Operand(Operand operand) => operand switch
    {
        LiteralOperand l => Literal(l.Value),
        ProfileOperand p => new JsonObject { ["profile"] = p.Name },
        TraitOperand t => new JsonObject { ["field"] = t.Name },
        PropertyOperand p => new JsonObject { ["property"] = p.Name },
        DaysSinceOperand d => new JsonObject { ["days_since"] = Operand(d.Time) },
        CountOperand c => new JsonObject { ["count"] = Aggregate(c.EventType, null, c.Window, c.Where) },
        SumOperand s => new JsonObject { ["sum"] = Aggregate(s.EventType, s.Property, s.Window, s.Where) },
        _ => throw new InvalidOperationException(operand.GetType().Name),
    };

    private static JsonObject Aggregate(string type, string? property, Duration window, RuleNode? where)
    {
        var result = new JsonObject { ["type"] = type };
        if (property is not null)
        {
            result["property"] = property;
        }

        result["window"] = window.ToString();
        if (where is not null)
        {
            result["where"] = ToJson(where);
        }

        return result;
    }

    private static JsonNode Literal(RuleValue value) => value.Kind switch
    {
        RuleValueKind.Number => JsonValue.Create(value.Number),
        RuleValueKind.Bool => JsonValue.Create(value.Number != 0),
        RuleValueKind.Time => JsonValue.Create(value.Time.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", CultureInfo.InvariantCulture)),
        _ => JsonValue.Create(value.Text)!,
    };

    /// <summary>The text of a node and its precedence: 1 or, 2 and, 3 not, 4 a predicate.</summary>
    private static (string Text, int Precedence) Node(JsonElement json, string path, int depth)
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
            return (Joined(and, "and", 2, $"{path}.and", depth), 2);
        }

        if (json.TryGetProperty("or", out var or))
        {
            return (Joined(or, "or", 1, $"{path}.or", depth), 1);
        }

        if (json.TryGetProperty("in_segment", out var segment))
        {
            return segment.ValueKind == JsonValueKind.String
                ? ($"in_segment({RuleText.Quote(Text(segment, $"{path}.in_segment"))})", 4)
                : throw Error($"{path}.in_segment", "a segment id string");
        }

        if (json.TryGetProperty("not", out var not))
        {
            return ("not " + Inner(not, 3, $"{path}.not", depth + 1), 3);
        }

        var op = json.TryGetProperty("op", out var o) && o.ValueKind == JsonValueKind.String
            ? Text(o, $"{path}.op")
            : throw Error($"{path}.op", "\"and\", \"or\", \"not\" or \"op\"");
        var left = Operand(Required(json, "left", path), $"{path}.left", depth);
        var text = op switch
        {
            "==" or "!=" or "<" or "<=" or ">" or ">=" or "contains" or "starts_with" =>
                $"{left} {op} {Operand(Required(json, "right", path), $"{path}.right", depth)}",
            "in" or "not in" => $"{left} {op} {List(Required(json, "right", path), $"{path}.right")}",
            "between" => $"{left} between {Operand(Required(json, "low", path), $"{path}.low", depth)} and {Operand(Required(json, "high", path), $"{path}.high", depth)}",
            "exists" => $"exists({left})",
            "is_true" => left,
            _ => throw Error($"{path}.op", "a known operator"),
        };
        return (text, 4);
    }

    /// <summary>A child node, in parentheses when it binds more loosely than its parent.</summary>
    private static string Inner(JsonElement json, int parentPrecedence, string path, int depth)
    {
        var (text, precedence) = Node(json, path, depth);
        return precedence < parentPrecedence ? $"({text})" : text;
    }

    private static string Joined(JsonElement items, string word, int precedence, string path, int depth)
    {
        if (items.ValueKind != JsonValueKind.Array || items.GetArrayLength() == 0)
        {
            throw Error(path, "a non-empty array of rule nodes");
        }

        return string.Join($" {word} ", items.EnumerateArray().Select((item, i) => Inner(item, precedence, $"{path}[{i}]", depth + 1)));
    }

    private static string Operand(JsonElement json, string path, int depth)
    {
        if (depth > RuleSchema.MaxDepth)
        {
            throw Error(path, $"at most {RuleSchema.MaxDepth} levels of nesting");
        }

        switch (json.ValueKind)
        {
            case JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False:
                return json.GetRawText();
            case JsonValueKind.String:
                return RuleText.Quote(Text(json, path));
            case JsonValueKind.Object when json.EnumerateObject().Count() == 1:
                var member = json.EnumerateObject().First();
                return member.Name switch
                {
                    "field" => Field(member.Value, $"{path}.field"),
                    "property" => Identifier(member.Value, $"{path}.property"),
                    "profile" => "profile." + Identifier(member.Value, $"{path}.profile"),
                    "days_since" => $"days_since({Operand(member.Value, $"{path}.days_since", depth + 1)})",
                    "count" or "sum" => Aggregate(member.Name, member.Value, $"{path}.{member.Name}", depth),
                    _ => throw Error(path, "an operand: a literal, field, profile, property, count, sum or days_since"),
                };
            default:
                throw Error(path, "an operand: a literal, field, profile, property, count, sum or days_since");
        }
    }

    private static string Aggregate(string name, JsonElement json, string path, int depth)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            throw Error(path, "an object {type, window, where?}");
        }

        var type = Identifier(Required(json, "type", path), $"{path}.type");
        var target = name == "sum" ? $"{type}.{Identifier(Required(json, "property", path), $"{path}.property")}" : type;
        var where = json.TryGetProperty("where", out var w) && w.ValueKind != JsonValueKind.Null
            ? $" where {Node(w, $"{path}.where", depth + 1).Text}"
            : "";
        var window = Required(json, "window", path);
        if (window.ValueKind != JsonValueKind.String)
        {
            throw Error($"{path}.window", "a window string such as \"30d\"");
        }

        return $"{name}({target}{where}, {Window(window, $"{path}.window")})";
    }

    private static string List(JsonElement json, string path)
    {
        if (json.ValueKind != JsonValueKind.Array)
        {
            throw Error(path, "an array of literals");
        }

        return "[" + string.Join(", ", json.EnumerateArray().Select((item, i) => item.ValueKind switch
        {
            JsonValueKind.String => RuleText.Quote(Text(item, $"{path}[{i}]")),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => item.GetRawText(),
            _ => throw Error($"{path}[{i}]", "a literal"),
        })) + "]";
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
