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
///        | {"expected_orders": "90d"} | {"lookalike": "best"}
///        | {"count": {"type": "visit", "window": "30d", "where": node?}}
///        | {"sum": {"type": "order_completed", "property": "revenue", "window": "365d", "where": node?}}
/// </code>
/// JSON is read as the tokens of its canonical text and parsed, so both forms share one set of checks.
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
    public static string ToText(JsonElement json) => RuleJsonReader.Text(json);

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
        ExpectedOrdersOperand e => new JsonObject { ["expected_orders"] = e.Horizon.ToString() },
        LookalikeOperand l => new JsonObject { ["lookalike"] = l.Model },
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
}
