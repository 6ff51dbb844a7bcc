using System.Text.Json;
using CustomerGrains.Grains.Rules;

namespace CustomerGrains.Grains.Tests.Rules;

public sealed class RuleCompilerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Ana: Spanish runner, 3 orders worth 620, visits every 10 days until 20 days ago.</summary>
    private static SampleCustomer Ana()
    {
        var ana = new SampleCustomer();
        ana.ProfileFields["country"] = RuleValue.Of("ES");
        ana.ProfileFields["email"] = RuleValue.Of("ana@example.com");
        ana.ProfileFields["interests"] = RuleValue.Of(["running", "yoga"]);
        ana.ProfileFields["birth_date"] = RuleValue.Of(new DateTimeOffset(1995, 3, 1, 0, 0, 0, TimeSpan.Zero));
        ana.ProfileFields["vip_flag"] = RuleValue.Of(true);
        ana.Traits["orders"] = RuleValue.Of(3);
        ana.Traits["revenue"] = RuleValue.Of(620);
        ana.Traits["last_order"] = RuleValue.Of(Now.AddDays(-61));
        ana.Traits["lifecycle"] = RuleValue.Of("active");
        ana.Segments.Add("vip");
        for (var days = 20; days <= 80; days += 10)
        {
            ana.Events.Add(new SampleEvent("visit", Now.AddDays(-days), []));
        }

        ana.Events.Add(new SampleEvent("product_viewed", Now.AddDays(-2), new() { ["category"] = RuleValue.Of("shoes") }));
        ana.Events.Add(new SampleEvent("product_viewed", Now.AddDays(-3), new() { ["category"] = RuleValue.Of("shoes") }));
        ana.Events.Add(new SampleEvent("product_viewed", Now.AddDays(-4), new() { ["category"] = RuleValue.Of("hats") }));
        ana.Events.Add(new SampleEvent("order_completed", Now.AddDays(-61), new() { ["revenue"] = RuleValue.Of(500) }));
        ana.Events.Add(new SampleEvent("order_completed", Now.AddDays(-400), new() { ["revenue"] = RuleValue.Of(120) }));
        return ana;
    }

    /// <summary>Bob: nothing but an order placed exactly 30 days ago; no profile.</summary>
    private static SampleCustomer Bob()
    {
        var bob = new SampleCustomer();
        bob.Traits["orders"] = RuleValue.Of(1);
        bob.Traits["revenue"] = RuleValue.Of(15);
        bob.Events.Add(new SampleEvent("order_completed", Now.AddDays(-30), new() { ["revenue"] = RuleValue.Of(15) }));
        return bob;
    }

    public static TheoryData<string, bool, bool> Rules => new()
    {
        { "orders >= 3 and revenue > 500", true, false },
        { "orders >= 3 or revenue > 10", true, true },
        { "not (orders >= 3)", false, true },
        { "count(visit, 90d) >= 6 and count(visit, 14d) == 0", true, false },
        { "count(visit, 20d) == 0", true, true },
        { "count(visit, 21d) == 1", true, false },
        { "sum(order_completed.revenue, 365d) >= 500", true, false },
        { "sum(order_completed.revenue, 365d) == 15", false, true },
        { "sum(order_completed.revenue, 31d) == 15", false, true },
        { "count(order_completed, 30d) == 0", true, true },
        { "count(product_viewed where category == \"shoes\", 30d) >= 2", true, false },
        { "count(product_viewed where category in [\"hats\", \"bags\"], 30d) == 1", true, false },
        { "profile.country in [\"ES\", \"MX\", \"AR\"]", true, false },
        { "profile.country not in [\"ES\"]", false, true },
        { "profile.age between 25 and 34", true, false },
        { "profile.age between 31 and 31", true, false },
        { "profile.interests contains \"running\"", true, false },
        { "profile.interests in [\"yoga\"]", true, false },
        { "profile.email starts_with \"ana@\"", true, false },
        { "exists(profile.email)", true, false },
        { "profile.email exists", true, false },
        { "not exists(profile.email)", false, true },
        { "profile.country != \"ES\"", false, true },
        { "profile.country == \"ES\"", true, false },
        { "profile.vip_flag", true, false },
        { "profile.vip_flag == true", true, false },
        { "days_since(last_order) > 60", true, false },
        { "days_since(last_order) < 60", false, false },
        { "last_order < \"2026-10-01T00:00:00Z\"", true, false },
        { "(orders > 1 or revenue > 100) and not profile.country == \"FR\"", true, false },
        { "orders == 1 and revenue between 10 and 20 and not exists(profile.country)", false, true },
        { "in_segment(\"vip\") and not in_segment(\"churned\")", true, false },
        { "in_segment(\"churned\") or orders == 1", false, true },
        { "lifecycle == \"active\"", true, false },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public void A_rule_decides_the_same_as_a_person_reading_it(string text, bool forAna, bool forBob)
    {
        var rule = RuleCompiler.Compile(text);

        Assert.Equal(forAna, rule.Evaluate(Ana(), Now));
        Assert.Equal(forBob, rule.Evaluate(Bob(), Now));
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public void Canonical_text_and_the_JSON_tree_compile_to_the_same_rule(string text, bool forAna, bool forBob)
    {
        var rule = RuleCompiler.Compile(text);
        var fromCanonical = RuleCompiler.Compile(rule.Text);
        using var json = JsonDocument.Parse(RuleJson.ToJson(rule.Ast).ToJsonString());
        var fromJson = RuleCompiler.CompileJson(json.RootElement);

        Assert.Equal(rule.Text, fromCanonical.Text);
        Assert.Equal(rule.Text, fromJson.Text);
        Assert.Equal((forAna, forBob), (fromJson.Evaluate(Ana(), Now), fromJson.Evaluate(Bob(), Now)));
    }

    public static TheoryData<string, int, string> InvalidRules => new()
    {
        { "", 0, "expected a field" },
        { "orders >", 8, "expected a field, number or string" },
        { "orders >= 3 and", 15, "expected a field" },
        { "orders > \"many\"", 9, "expected a number to compare with" },
        { "lifetime_value > 3", 0, "unknown field 'lifetime_value'" },
        { "count(visit, 30) > 1", 13, "a window such as 12h, 30d or 8w" },
        { "count(Visit, 30d) > 1", 6, "an event type" },
        { "count(visit, 0d) > 1", 13, "between 1 minute and 10 years" },
        { "sum(order_completed, 30d) > 1", 19, "'.' and the property to sum" },
        { "orders > 30d", 9, "durations such as 30d are only valid as a window" },
        { "(orders > 1", 11, "')'" },
        { "orders > 1)", 10, "'and', 'or' or the end of the rule" },
        { "profile.country in \"ES\"", 19, "'[' and a list of values" },
        { "orders contains 3", 7, "a list or string before 'contains'" },
        { "profile.email starts_with 3", 14, "strings on both sides" },
        { "orders between 1 or 3", 17, "'and' between the bounds" },
        { "orders", 6, "a comparison" },
        { "profile.name == \"a", 16, "a closing '\"'" },
        { "orders > 1 & revenue > 2", 11, "a field, number, string or operator" },
        { "in_segment(vip)", 11, "a segment id in quotes" },
        { "rfm.x > 1", 4, "r, f, m or class after rfm." },
        { "last_order > \"yesterday\"", 13, "an ISO 8601 time" },
        { "days_since(\"2026-01-01\") > 1", 11, "a time field" },
        { "orders < [1, 2]", 9, "a single value" },
    };

    [Theory]
    [MemberData(nameof(InvalidRules))]
    public void An_invalid_rule_names_the_position_and_what_was_expected(string text, int position, string message)
    {
        var error = Assert.Throws<RuleSyntaxException>(() => RuleCompiler.Compile(text));

        Assert.Equal(position, error.Position);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.StartsWith($"at position {position}:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Limits_on_length_and_nesting_are_errors_not_crashes()
    {
        var tooLong = "orders > 1" + string.Concat(Enumerable.Repeat(" or orders > 1", 400));
        var tooDeep = new string('(', 40) + "orders > 1" + new string(')', 40);
        var manyNots = string.Concat(Enumerable.Repeat("not ", 40)) + "orders > 1";

        Assert.Contains("at most 4096 characters", Assert.Throws<RuleSyntaxException>(() => RuleCompiler.Compile(tooLong)).Message, StringComparison.Ordinal);
        Assert.Contains("levels of nesting", Assert.Throws<RuleSyntaxException>(() => RuleCompiler.Compile(tooDeep)).Message, StringComparison.Ordinal);
        Assert.Contains("levels of nesting", Assert.Throws<RuleSyntaxException>(() => RuleCompiler.Compile(manyNots)).Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> InvalidJson => new()
    {
        { """{"op": ">=", "left": {"field": "orders"}}""", "$.right" },
        { """{"and": []}""", "$.and" },
        { """{"op": "~", "left": 1, "right": 2}""", "$.op" },
        { """{"op": "==", "left": {"field": "orders", "x": 1}, "right": 2}""", "$.left" },
        { """{"op": "==", "left": {"count": {"type": "visit"}}, "right": 2}""", "$.left.count.window" },
        { """[1, 2]""", "$" },
    };

    [Theory]
    [MemberData(nameof(InvalidJson))]
    public void An_invalid_JSON_rule_names_the_path(string json, string path)
    {
        using var document = JsonDocument.Parse(json);

        var error = Assert.Throws<RuleSyntaxException>(() => RuleCompiler.CompileJson(document.RootElement));

        Assert.EndsWith($"at {path}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_values_compare_false_except_for_not_equal()
    {
        var nobody = new SampleCustomer();

        Assert.False(RuleCompiler.Compile("profile.country == \"ES\"").Evaluate(nobody, Now));
        Assert.False(RuleCompiler.Compile("profile.age < 30").Evaluate(nobody, Now));
        Assert.False(RuleCompiler.Compile("profile.country in [\"ES\"]").Evaluate(nobody, Now));
        Assert.True(RuleCompiler.Compile("profile.country not in [\"ES\"]").Evaluate(nobody, Now));
        Assert.True(RuleCompiler.Compile("profile.country != \"ES\"").Evaluate(nobody, Now));
        Assert.False(RuleCompiler.Compile("days_since(last_order) > 1").Evaluate(nobody, Now));
    }

    [Fact]
    public void A_window_includes_now_and_excludes_its_start()
    {
        var customer = new SampleCustomer();
        customer.Events.Add(new SampleEvent("visit", Now.AddDays(-7), []));
        customer.Events.Add(new SampleEvent("visit", Now.AddDays(-7).AddTicks(1), []));
        customer.Events.Add(new SampleEvent("visit", Now, []));
        customer.Events.Add(new SampleEvent("visit", Now.AddTicks(1), []));

        Assert.True(RuleCompiler.Compile("count(visit, 7d) == 2").Evaluate(customer, Now));
        Assert.True(RuleCompiler.Compile("count(visit, 1w) == 2").Evaluate(customer, Now));
        Assert.True(RuleCompiler.Compile("count(visit, 169h) == 3").Evaluate(customer, Now));
    }

    [Theory]
    [InlineData("orders > 1", false, "")]
    [InlineData("count(visit, 30d) > 1 and orders > 1", true, "visit")]
    [InlineData("sum(order_completed.revenue where currency == \"EUR\", 1w) > 1 or count(email_opened, 2h) > 0", true, "email_opened,order_completed")]
    [InlineData("days_since(last_seen) > 14", true, "")]
    [InlineData("profile.age > 30", true, "")]
    public void Analysis_tells_what_a_rule_reads_and_whether_time_alone_can_change_it(string text, bool timeSensitive, string types)
    {
        var ast = RuleCompiler.Compile(text).Ast;

        Assert.Equal(timeSensitive, RuleAnalysis.IsTimeSensitive(ast));
        Assert.Equal(types, string.Join(",", RuleAnalysis.ReadsEventTypes(ast).Order(StringComparer.Ordinal)));
    }
}
