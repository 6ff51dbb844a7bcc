using System.Text.Json;
using CustomerGrains.Grains.Rules;

namespace CustomerGrains.Grains.Tests.Rules;

/// <summary>The rule language's prediction fields and functions: written as text or JSON, read back alike, mistakes named.</summary>
public sealed class PredictionRuleTests
{
    [Theory]
    [InlineData("p_alive < 0.3 and revenue >= 500")]
    [InlineData("expected_orders(30d) >= 1")]
    [InlineData("expected_orders(12w) > expected_orders_90d")]
    [InlineData("clv > 100 and potential == \"high\"")]
    [InlineData("value_potential in [\"grow\", \"rising\"]")]
    [InlineData("lookalike(\"best customers\") >= 0.7 and orders == 0")]
    [InlineData("expected_spend between 20 and 80")]
    public void Text_and_json_forms_read_back_to_the_same_canonical_rule(string text)
    {
        var rule = RuleCompiler.Compile(text);
        Assert.Equal(rule.Text, RuleCompiler.Compile(rule.Text).Text);
        using var json = JsonDocument.Parse(RuleJson.ToJson(rule.Ast).ToJsonString());
        Assert.Equal(rule.Text, RuleCompiler.CompileJson(json.RootElement).Text);
    }

    [Fact]
    public void The_json_forms_of_the_functions_are_named_fields()
    {
        using var json = JsonDocument.Parse("""{"and": [{"op": ">=", "left": {"expected_orders": "30d"}, "right": 1}, {"op": ">=", "left": {"lookalike": "best"}, "right": 0.7}]}""");
        Assert.Equal("expected_orders(30d) >= 1 and lookalike(\"best\") >= 0.7", RuleCompiler.CompileJson(json.RootElement).Text);
    }

    [Theory]
    [InlineData("expected_orders(0d) > 1", "a window between 1 minute and 10 years")]
    [InlineData("expected_orders(30) > 1", "a horizon such as 30d")]
    [InlineData("expected_orders > 1", "'(' after expected_orders")]
    [InlineData("lookalike(best) > 0.5", "a lookalike model id in quotes")]
    [InlineData("lookalike(\"\") > 0.5", "a lookalike model id in quotes")]
    [InlineData("p_alive == \"yes\"", "a number to compare with")]
    public void Mistakes_are_refused_with_what_was_expected(string text, string expected)
    {
        var error = Record.Exception(() => RuleCompiler.Compile(text));
        Assert.IsType<RuleSyntaxException>(error);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rule_names_the_lookalike_models_it_reads_and_is_time_sensitive()
    {
        var rule = RuleCompiler.Compile("lookalike(\"best\") > 0.5 or lookalike(\"vip\") > 0.9 or p_alive < 0.2");
        Assert.Equal(["best", "vip"], RuleAnalysis.ReadsLookalikes(rule.Ast).Order(StringComparer.Ordinal));
        Assert.True(RuleAnalysis.IsTimeSensitive(rule.Ast));
        Assert.False(rule.Inputs.UnannouncedTime);
    }
}
