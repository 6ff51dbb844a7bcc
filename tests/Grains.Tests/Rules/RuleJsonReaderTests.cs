using System.Text.Json;
using CustomerGrains.Grains.Rules;

namespace CustomerGrains.Grains.Tests.Rules;

public sealed class RuleJsonReaderTests
{
    public static TheoryData<string> Trees => new()
    {
        """{"and": [{"op": ">=", "left": {"field": "orders"}, "right": 2}, {"or": [{"in_segment": "vip"}, {"not": {"op": "exists", "left": {"profile": "email"}}}]}]}""",
        """{"op": "not in", "left": {"field": "rfm.class"}, "right": ["at_risk", "lost"]}""",
        """{"op": "between", "left": {"sum": {"type": "order_completed", "property": "revenue", "window": "365d", "where": {"op": "==", "left": {"property": "category"}, "right": "shoes"}}}, "low": 1.5E+3, "high": -2}""",
        """{"op": ">", "left": {"days_since": {"field": "last_order"}}, "right": 60}""",
        """{"op": "is_true", "left": {"profile": "vip"}}""",
        """{"op": "==", "left": {"field": "1e5"}, "right": 2}""",
        """{"op": "==", "left": {"profile": "email"}, "right": "a\u0001b\"c\\d"}""",
        """{"op": ">", "left": {"count": {"type": "5", "window": "30d"}}, "right": 1e400}""",
    };

    [Theory]
    [MemberData(nameof(Trees))]
    public void A_tree_reads_as_the_very_tokens_its_text_lexes_to(string json)
    {
        using var tree = JsonDocument.Parse(json);

        List<Token>? fromText = null, fromTree = null;
        var textError = Record.Exception(() => fromText = Lexer.Tokenize(RuleJson.ToText(tree.RootElement)));
        var treeError = Record.Exception(() => fromTree = RuleJsonReader.Tokens(tree.RootElement));

        // A value the lexer refuses is refused at the same position either way.
        Assert.Equal(textError?.Message, treeError?.Message);
        Assert.Equal(fromText, fromTree);
    }

    [Theory]
    [MemberData(nameof(Trees))]
    public void A_tree_compiles_or_fails_exactly_as_its_text_does(string json)
    {
        using var tree = JsonDocument.Parse(json);
        var text = RuleJson.ToText(tree.RootElement);

        var fromText = Record.Exception(() => RuleCompiler.Compile(text));
        var fromTree = Record.Exception(() => RuleCompiler.ParseJson(tree.RootElement, out _));

        Assert.Equal(fromText?.Message, fromTree?.Message);
        if (fromText is null)
        {
            RuleCompiler.ParseJson(tree.RootElement, out var canonical);
            Assert.Equal(RuleCompiler.Compile(text).Text, canonical);
        }
    }
}
