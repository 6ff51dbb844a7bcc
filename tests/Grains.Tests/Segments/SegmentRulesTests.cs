using CustomerGrains.Grains.Rules;
using CustomerGrains.Grains.Segments;

namespace CustomerGrains.Grains.Tests.Segments;

public sealed class SegmentRulesTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);

    // Each case gets its own text: the cache is shared by every test in the process.
    private static string Unique(string rule) => $"{rule} and profile.city != \"{Guid.NewGuid():N}\"";

    public static TheoryData<string, string?> Rules => new()
    {
        { "orders >= 1", null },
        { "orders >= 1", "buyers" },
        { "orders >= 1 or refunds > 0", "buyers" },
        { "not in_segment(\"lapsed\") and count(visit where category == \"shoes\", 30d) >= 2", "vip" },
        { "days_since(last_order) > 60", "vip" },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public void A_childs_rule_is_composed_as_a_tree_and_reads_what_its_spliced_text_would(string own, string? parent)
    {
        var rule = Unique(own);
        var definition = new SegmentDefinition("s", "s", null, rule, 1, Guid.NewGuid(), 8, At, At, parent);

        var composed = SegmentRules.Of(definition);
        var spliced = RuleCompiler.Compile(definition.EffectiveRule);

        Assert.Equal(spliced.Text, composed.Text);
        Assert.Equal<string>(spliced.Inputs.Segments.AsEnumerable(), composed.Inputs.Segments);
        Assert.Equal<string>(spliced.Inputs.EventTypes.AsEnumerable(), composed.Inputs.EventTypes);
        Assert.Equal<string>(spliced.Inputs.Traits.AsEnumerable(), composed.Inputs.Traits);
        Assert.Equal(spliced.Inputs.Profile, composed.Inputs.Profile);
    }

    [Fact]
    public void Every_version_with_the_same_rule_and_parent_gets_the_one_compiled_instance()
    {
        var rule = Unique("orders >= 1");
        var v1 = new SegmentDefinition("s", "s", null, rule, 1, Guid.NewGuid(), 8, At, At, "buyers");
        var v2 = v1 with { Version = 2, Uid = Guid.NewGuid(), Pending = true };

        Assert.Same(SegmentRules.Of(v1), SegmentRules.Of(v2));
        Assert.NotSame(SegmentRules.Of(v1), SegmentRules.Of(rule, parent: null));
    }

    [Fact]
    public void A_rule_checked_by_the_Api_in_this_process_is_not_parsed_again()
    {
        var ast = RuleCompiler.Parse(Unique("revenue   >  100"), out var canonical);

        SegmentRules.Remember(canonical, null, ast);

        // The very tree the Api built: the catalog's lookup did not read the text.
        Assert.Same(ast, SegmentRules.Of(canonical, null).Ast);
    }

    [Fact]
    public void An_invalid_rule_fails_where_it_is_wrong_and_is_not_kept()
    {
        var rule = $"ordres >= 1 and profile.city != \"{Guid.NewGuid():N}\"";

        var error = Assert.Throws<RuleSyntaxException>(() => SegmentRules.Of(rule, "buyers"));

        Assert.Equal(0, error.Position);
        Assert.False(SegmentRules.TryPeek(rule, "buyers", out _));
    }
}
