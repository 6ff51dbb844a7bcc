using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace CustomerGrains.Grains.Tests.Rules;

/// <summary>
/// Seeded rule inputs: a grammar that writes mostly well-formed rules (with every edge of the literal and
/// window syntax), char-level mutations of samples (flip, truncate, duplicate, splice, insert hostile tokens),
/// hand-made hostile shapes (deep nesting of every recursive construct), and JSON trees with changed types.
/// The same seed always yields the same inputs.
/// </summary>
internal sealed class RuleFuzzer(int seed)
{
    public static readonly string[] Samples =
    [
        "orders >= 3 and revenue > 500",
        "count(visit, 90d) >= 6 and count(visit, 14d) == 0",
        "sum(order_completed.revenue, 365d) >= 1000",
        "count(product_viewed where category == \"shoes\", 30d) >= 5",
        "profile.country in [\"ES\", \"MX\", \"AR\"] and profile.age between 25 and 34",
        "profile.interests contains \"running\"",
        "days_since(last_order) > 60",
        "not exists(profile.email) or profile.email starts_with \"test\"",
        "in_segment(\"vip\") and not in_segment(\"churned\")",
        "value_tier == \"high\" and rfm.class == \"at_risk\"",
        "lifecycle == \"lapsed\" and orders >= 3",
        "last_order > \"2026-01-31T00:00:00Z\" or profile.birth_date < \"1990-01-01\"",
        "(orders > 1 or refunds == 0) and not (aov <= 20.5)",
        "profile.vip_flag and profile.email exists",
        "count(order_completed where revenue > 10 and currency not in [\"USD\"], 8w) != 0",
        "rfm.r >= 4 and rfm.f between 2 and 5 and rfm.m < 3",
    ];

    private static readonly string[] Fields =
    [
        "orders", "revenue", "aov", "refunds", "events", "first_order", "last_order", "first_seen", "last_seen",
        "lifecycle", "value_tier", "rfm.r", "rfm.f", "rfm.m", "rfm.class", "profile.age", "profile.birth_date",
        "profile.interests", "profile.email", "profile.country", "profile.custom_trait", "unknown_field", "rfm.x",
    ];

    private static readonly string[] Numbers =
    [
        "0", "1", "-1", "3", "25.5", "0.1", "-0", "1.", "1..2", "007", "0.00001", "1000000000000000000000",
        "123456789012345678901234567890.5", "9007199254740993", "1" + new string('0', 400), "-" + new string('9', 320),
        "0." + new string('0', 400) + "1",
    ];

    private static readonly string[] Windows =
    [
        "1m", "90m", "12h", "30d", "8w", "3650d", "3660d", "3661d", "522w", "523w", "0d", "-5d", "1.5d", "2.d",
        "99999999999999999999d", "9223372036854775807d", "9223372036854775807w", "1317624576w", "5270400m",
        "87840h", "87841h", "30", "30x", "d", "30dd",
    ];

    private static readonly string[] Strings =
    [
        "\"ES\"", "\"\"", "\"a\\\"b\"", "\"back\\\\slash\"", "\"café\"", "\"💥\"", "\"\ud800\"", "\"\udc00x\"",
        "\"a\u0000b\"", "\"\u202eevil\"", "\"'; DROP TABLE cg_customers; --\"", "\"../../etc/passwd\"", "\"%00\"",
        "\"2026-01-31T00:00:00Z\"", "\"1990-01-01\"", "\"0001-01-01T00:00:00Z\"", "\"9999-12-31T23:59:59Z\"",
        "\"9999-12-31T23:59:59-14:00\"", "\"0001-01-01T00:00:00+14:00\"", "\"not a date\"", "\"2026-02-30\"",
        "\"\\n\"", "\"unterminated",
    ];

    private static readonly string[] Tokens =
    [
        "and", "or", "not", "in", "not in", "contains", "starts_with", "between", "exists", "where", "true", "false",
        "count(", "sum(", "days_since(", "in_segment(", "profile.", "rfm.", "==", "!=", "<", "<=", ">", ">=", "(", ")",
        "[", "]", ",", ".", "\"", "\\", "-", "=", "!", "&&", "||", "null", "NaN", "Infinity", "1e999", "${x}", "'",
        ";", "/*", "\0", "\ud800", "\udfff", "\t", "\r\n", "\u00a0", "\u2028", "ー", "١",
    ];

    /// <summary>Stands for an escaped unpaired surrogate, which a JSON writer refuses to write; see <see cref="WithLoneSurrogates"/>.</summary>
    public const string LoneSurrogate = "<lone surrogate>";

    private readonly Random _random = new(seed);

    public int Seed { get; } = seed;

    /// <summary>A rule from the grammar, well-formed more often than not.</summary>
    public string Generated() => Rule(0);

    /// <summary>A sample (or a generated rule) damaged in one to four ways.</summary>
    public string Mutated()
    {
        var text = _random.Next(3) == 0 ? Generated() : Pick(Samples);
        var rounds = 1 + _random.Next(4);
        for (var i = 0; i < rounds; i++)
        {
            text = MutateOnce(text);
        }

        return text;
    }

    /// <summary>Every recursive construct nested far past the limits, and inputs at the length limit.</summary>
    public static IEnumerable<(string Name, string Text)> Hostile()
    {
        foreach (var depth in new[] { 31, 32, 33, 100, 1000, 2000 })
        {
            yield return ($"parentheses {depth}", new string('(', depth) + "orders > 1" + new string(')', depth));
            yield return ($"unclosed parentheses {depth}", new string('(', depth) + "orders > 1");
            yield return ($"not {depth}", string.Concat(Enumerable.Repeat("not ", depth)) + "orders > 1");
            yield return ($"days_since {depth}", string.Concat(Enumerable.Repeat("days_since(", depth)) + "last_order" + new string(')', depth) + " > 1");
            yield return ($"where {depth}", string.Concat(Enumerable.Repeat("count(visit where ", depth)) + "a == 1" + string.Concat(Enumerable.Repeat(", 1d) > 0", depth)));
            yield return ($"and chain {depth}", string.Join(" and ", Enumerable.Repeat("orders > 1", depth)));
            yield return ($"list {depth}", "profile.country in [" + string.Join(",", Enumerable.Range(0, depth).Select(i => $"\"c{i}\"")) + "]");
        }

        yield return ("list of 1001 short items", "orders in [" + string.Join(",", Enumerable.Repeat("1", 1001)) + "]");
        yield return ("list of 1000 short items", "orders in [" + string.Join(",", Enumerable.Repeat("1", 1000)) + "]");
        var atLimit = "orders > 1 and revenue > " + new string('1', 4096 - "orders > 1 and revenue > ".Length);
        yield return ("exactly 4096 characters", atLimit);
        yield return ("4097 characters", atLimit + "1");
        yield return ("one million characters", new string('(', 1_000_000));
        yield return ("canonical form grows past the limit", string.Join("and", Enumerable.Repeat("orders>1", 4096 / 11)));
        yield return ("empty", "");
        yield return ("blank", "   \t\n");
        yield return ("only a string", "\"orders > 1\"");
        yield return ("null character", "orders > 1\0");
        yield return ("lone surrogate", "orders > 1 and \ud800");
        yield return ("backslash at the end of a string", "profile.email == \"abc\\");
        yield return ("number then end", "orders >");
        yield return ("window overflow", "count(visit, 99999999999999999999999999999d) > 1");
        yield return ("fractional window", "count(visit, 1.5d) > 1");
        yield return ("week overflow", "count(visit, 9223372036854775807w) > 1");
        yield return ("days_since overflow", "days_since(last_order) > 1" + new string('0', 300));
        yield return ("huge time", "last_order > \"9999-12-31T23:59:59.9999999Z\" and days_since(last_order) > 36599");
    }

    /// <summary>A JSON tree, often with a node replaced by the wrong type, a member dropped or renamed.</summary>
    public JsonNode MutatedJson(JsonNode valid)
    {
        var root = valid.DeepClone();
        var rounds = 1 + _random.Next(3);
        for (var i = 0; i < rounds; i++)
        {
            var nodes = Descendants(root).ToList();
            var target = nodes[_random.Next(nodes.Count)];
            switch (_random.Next(6))
            {
                case 0 when target.Parent is JsonObject parent:
                    parent[target.GetPropertyName()] = Wrong();
                    break;
                case 1 when target.Parent is JsonArray array:
                    array[target.GetElementIndex()] = Wrong();
                    break;
                case 2 when target is JsonObject o && o.Count > 0:
                    o.Remove(o.ElementAt(_random.Next(o.Count)).Key);
                    break;
                case 3 when target is JsonObject o && o.Count > 0:
                    var (name, value) = o.ElementAt(_random.Next(o.Count));
                    o.Remove(name);
                    o[Pick(["and", "or", "not", "op", "left", "right", "low", "high", "field", "profile", "count", "sum", "days_since", "in_segment", "window", "type", "where", "x"])] = value;
                    break;
                case 4 when target is JsonArray a:
                    a.Add(Wrong());
                    break;
                default:
                    root = new JsonObject { [Pick(["not", "and", "or"])] = Pick(["not", "and"]) == "not" ? root : new JsonArray(root) };
                    break;
            }
        }

        return root;
    }

    /// <summary>A JSON tree nested <paramref name="depth"/> deep through each recursive member.</summary>
    public static IEnumerable<(string Name, JsonNode Json)> HostileJson()
    {
        foreach (var depth in new[] { 31, 32, 33, 200, 5000 })
        {
            JsonNode not = new JsonObject { ["op"] = ">", ["left"] = new JsonObject { ["field"] = "orders" }, ["right"] = 1 };
            JsonNode and = not.DeepClone();
            JsonNode daysSince = new JsonObject { ["field"] = "last_order" };
            JsonNode where = new JsonObject { ["op"] = "==", ["left"] = new JsonObject { ["property"] = "a" }, ["right"] = 1 };
            for (var i = 0; i < depth; i++)
            {
                not = new JsonObject { ["not"] = not };
                and = new JsonObject { ["and"] = new JsonArray(and) };
                daysSince = new JsonObject { ["days_since"] = daysSince };
                where = new JsonObject
                {
                    ["op"] = ">",
                    ["left"] = new JsonObject { ["count"] = new JsonObject { ["type"] = "visit", ["window"] = "1d", ["where"] = where } },
                    ["right"] = 0,
                };
            }

            yield return ($"json not {depth}", not);
            yield return ($"json and {depth}", and);
            yield return ($"json days_since {depth}", new JsonObject { ["op"] = ">", ["left"] = daysSince, ["right"] = 1 });
            yield return ($"json where {depth}", where);
        }

        yield return ("json number 1e999", new JsonObject { ["op"] = ">", ["left"] = new JsonObject { ["field"] = "orders" }, ["right"] = JsonNode.Parse("1e999") });
        yield return ("json number 1e-5", new JsonObject { ["op"] = ">", ["left"] = new JsonObject { ["field"] = "revenue" }, ["right"] = JsonNode.Parse("1e-5") });
        yield return ("json number -1.5E3", new JsonObject { ["op"] = ">", ["left"] = new JsonObject { ["field"] = "revenue" }, ["right"] = JsonNode.Parse("-1.5E3") });
        yield return ("json injection in field", new JsonObject { ["op"] = ">", ["left"] = new JsonObject { ["field"] = "orders > 1 or true" }, ["right"] = 1 });
        yield return ("json injection in window", new JsonObject
        {
            ["op"] = ">",
            ["left"] = new JsonObject { ["count"] = new JsonObject { ["type"] = "visit", ["window"] = "1d) > 0 or (orders" } },
            ["right"] = 0,
        });
        yield return ("json injection in type", new JsonObject
        {
            ["op"] = ">",
            ["left"] = new JsonObject { ["count"] = new JsonObject { ["type"] = "visit where a == 1", ["window"] = "1d" } },
            ["right"] = 0,
        });
        yield return ("json operator injection", new JsonObject { ["op"] = "== 1 or orders", ["left"] = new JsonObject { ["field"] = "orders" }, ["right"] = 1 });
        yield return ("json empty and", new JsonObject { ["and"] = new JsonArray() });
        yield return ("json array root", new JsonArray(1, 2));
        yield return ("json string root", JsonValue.Create("orders > 1"));
    }

    private string Rule(int depth)
    {
        if (depth > 4)
        {
            return Predicate(depth);
        }

        return _random.Next(10) switch
        {
            0 => $"({Rule(depth + 1)} or {Rule(depth + 1)})",
            1 => $"{Rule(depth + 1)} and {Rule(depth + 1)}",
            2 => $"not {Rule(depth + 1)}",
            _ => Predicate(depth),
        };
    }

    private string Predicate(int depth)
    {
        var left = Operand(depth);
        return _random.Next(12) switch
        {
            0 => $"{left} in [{string.Join(", ", Enumerable.Range(0, _random.Next(4)).Select(_ => Literal()))}]",
            1 => $"{left} not in [{Literal()}]",
            2 => $"{left} contains {Literal()}",
            3 => $"{left} starts_with {Literal()}",
            4 => $"{left} between {Literal()} and {Literal()}",
            5 => $"exists({left})",
            6 => $"{left} exists",
            7 => $"in_segment({Pick(["\"vip\"", "\"a-b_c\"", "\"Bad\"", "\"\"", "vip", "\"" + new string('a', 65) + "\""])})",
            8 => left,
            _ => $"{left} {Pick(["==", "!=", "<", "<=", ">", ">="])} {(_random.Next(4) == 0 ? Operand(depth) : Literal())}",
        };
    }

    private string Operand(int depth) => _random.Next(8) switch
    {
        0 => $"count({EventType()}{Where(depth)}, {Pick(Windows)})",
        1 => $"sum({EventType()}.{Pick(["revenue", "amount", "quantity"])}{Where(depth)}, {Pick(Windows)})",
        2 => $"days_since({Pick(Fields)})",
        3 => Literal(),
        _ => Pick(Fields),
    };

    private string Where(int depth) =>
        _random.Next(3) != 0 || depth > 3 ? "" : $" where {Pick(["category", "revenue", "currency", "count", "profile.x"])} {Pick(["==", ">", "in", "contains"])} {(_random.Next(2) == 0 ? Literal() : $"[{Literal()}]")}{(_random.Next(4) == 0 ? " and " + Rule(depth + 2) : "")}";

    private string EventType() => Pick(["visit", "order_completed", "product_viewed", "custom_1", "Visit", "9lives", new string('a', 65), "where"]);

    private string Literal() => _random.Next(5) switch
    {
        0 or 1 => Pick(Numbers),
        2 or 3 => Pick(Strings),
        _ => Pick(["true", "false", "null", "30d"]),
    };

    private string MutateOnce(string text)
    {
        if (text.Length == 0)
        {
            return Pick(Tokens);
        }

        var at = _random.Next(text.Length);
        var length = Math.Min(text.Length - at, 1 + _random.Next(8));
        var other = Pick(Samples);
        return _random.Next(7) switch
        {
            0 => string.Concat(text.AsSpan(0, at), Pick(Tokens), text.AsSpan(at + 1)),
            1 => text[..at],
            2 => text.Insert(at, text.Substring(at, length)),
            3 => text[..at] + other[Math.Min(at, other.Length - 1)..],
            4 => text.Remove(at, length),
            5 => text.Insert(at, " " + Pick(Tokens) + " "),
            _ => string.Concat(text.AsSpan(0, at), ((char)_random.Next(0, 0x3000)).ToString(), text.AsSpan(at + 1)),
        };
    }

    private JsonNode Wrong() => _random.Next(9) switch
    {
        0 => JsonValue.Create(_random.Next(-5, 5)),
        1 => JsonValue.Create("orders"),
        2 => JsonValue.Create(true),
        3 => new JsonArray(),
        4 => new JsonObject(),
        5 => JsonNode.Parse("1e999")!,
        6 => JsonValue.Create(new string('x', 5000)),
        7 => JsonValue.Create(LoneSurrogate),
        _ => new JsonObject { ["field"] = Pick(Fields) },
    };

    private static IEnumerable<JsonNode> Descendants(JsonNode node)
    {
        yield return node;
        IEnumerable<JsonNode?> children = node switch
        {
            JsonObject o => o.Select(p => p.Value),
            JsonArray a => a,
            _ => [],
        };
        foreach (var child in children.OfType<JsonNode>())
        {
            foreach (var d in Descendants(child))
            {
                yield return d;
            }
        }
    }

    /// <summary>Written JSON with each <see cref="LoneSurrogate"/> string turned into <c>"\\ud800"</c>.</summary>
    public static string WithLoneSurrogates(string json) => json.Replace($"\"{LoneSurrogate}\"", "\"\\ud800\"", StringComparison.Ordinal);

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    /// <summary>Input as a C# literal would show it, control characters and lone surrogates escaped, cut to a readable length.</summary>
    public static string Show(string text)
    {
        var builder = new StringBuilder();
        foreach (var c in text.Length > 400 ? text[..400] : text)
        {
            builder.Append(char.IsControl(c) || char.IsSurrogate(c) || c > 0x7e
                ? string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}")
                : c.ToString());
        }

        return text.Length > 400 ? $"{builder}… ({text.Length} characters)" : builder.ToString();
    }
}
