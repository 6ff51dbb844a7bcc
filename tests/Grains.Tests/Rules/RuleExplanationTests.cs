using System.Globalization;
using CustomerGrains.Grains.Behaviour;
using CustomerGrains.Grains.Evaluation;
using CustomerGrains.Grains.Rules;
using CustomerGrains.Grains.Segments;
using static CustomerGrains.Grains.Tests.Infrastructure.Events;

namespace CustomerGrains.Grains.Tests.Rules;

public sealed class RuleExplanationTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Three orders (the last 10 days ago, 50 of revenue in the last 30 days), visits 3 and 20 days ago, from Spain,
    /// 35 years old, subscribed, in "vip"; expected to order 0.6 times in 30 days, scored 0.72 by the "best" lookalike.
    /// </summary>
    private static SampleCustomer Ana()
    {
        var ana = new SampleCustomer();
        ana.Traits["orders"] = RuleValue.Of(3);
        ana.Traits["revenue"] = RuleValue.Of(120);
        ana.Traits["last_order"] = RuleValue.Of(Now.AddDays(-10));
        ana.Traits["lifecycle"] = RuleValue.Of("active");
        ana.ProfileFields["country"] = RuleValue.Of("ES");
        ana.ProfileFields["email"] = RuleValue.Of("ana@example.com");
        ana.ProfileFields["interests"] = RuleValue.Of(["running", "yoga"]);
        ana.ProfileFields["newsletter"] = RuleValue.Of(true);
        ana.ProfileFields["birth_date"] = RuleValue.Of(new DateTimeOffset(1990, 12, 3, 0, 0, 0, TimeSpan.Zero));
        ana.Events.Add(new SampleEvent("visit", Now.AddDays(-3), []));
        ana.Events.Add(new SampleEvent("visit", Now.AddDays(-20), []));
        ana.Events.Add(new SampleEvent("order_completed", Now.AddDays(-10), new() { ["revenue"] = RuleValue.Of(50) }));
        ana.Events.Add(new SampleEvent("order_completed", Now.AddDays(-40), new() { ["revenue"] = RuleValue.Of(70) }));
        ana.Segments.Add("vip");
        ana.ExpectedOrdersBy[TimeSpan.FromDays(30)] = RuleValue.Of(0.6);
        ana.LookalikeScores["best"] = RuleValue.Of(0.72);
        return ana;
    }

    // A clause, the value explained for it (as Show writes it) and whether it holds for Ana now.
    public static TheoryData<string, string, bool> Clauses => new()
    {
        { "count(visit, 14d) == 0", "1", false },
        { "count(visit, 30d) >= 2", "2", true },
        { "count(order_completed where revenue > 40, 30d) >= 1", "1", true },
        { "sum(order_completed.revenue, 30d) > 100", "50", false },
        { "orders >= 3", "3", true },
        { "revenue < 100", "120", false },
        { "refunds == 0", "null", false },
        { "refunds != 1", "null", true },
        { "days_since(last_order) > 14", "10", false },
        { "14 < days_since(last_order)", "10", false },
        { "last_order > \"2026-11-01T00:00:00+00:00\"", "2026-11-14T12:00:00.0000000+00:00", true },
        { "lifecycle == \"active\"", "\"active\"", true },
        { "profile.country in [\"ES\", \"MX\"]", "\"ES\"", true },
        { "profile.country not in [\"ES\"]", "\"ES\"", false },
        { "profile.interests contains \"running\"", "[running, yoga]", true },
        { "profile.email starts_with \"test\"", "\"ana@example.com\"", false },
        { "profile.age between 25 and 34", "35", false },
        { "exists(profile.phone)", "null", false },
        { "exists(profile.interests)", "[running, yoga]", true },
        { "profile.newsletter", "true", true },
        { "in_segment(\"vip\")", "null", true },
        { "in_segment(\"churned\")", "null", false },
        { "expected_orders(30d) >= 1", "0.6", false },
        { "expected_orders(90d) >= 1", "null", false },
        { "lookalike(\"best\") >= 0.7", "0.72", true },
        { "lookalike(\"other\") < 0.5", "null", false },
    };

    [Theory]
    [MemberData(nameof(Clauses))]
    public void Each_kind_of_clause_shows_the_customers_value_and_whether_it_holds(string rule, string value, bool result)
    {
        var explained = RuleExplanation.Explain(RuleCompiler.Compile(rule), Ana(), Now);

        Assert.Equal(rule, explained.Clause);
        Assert.Equal(value, Show(explained.Value));
        Assert.Equal(result, explained.Result);
        Assert.Empty(explained.Children);
    }

    [Fact]
    public void A_silent_regular_is_explained_clause_by_clause()
    {
        var explained = RuleExplanation.Explain(RuleCompiler.Compile("count(visit, 90d) >= 2 and count(visit, 14d) == 0"), Ana(), Now);

        Assert.Equal("count(visit, 90d) >= 2 and count(visit, 14d) == 0", explained.Clause);
        Assert.False(explained.Result);
        Assert.Null(explained.Value);
        Assert.Equal(
            new[] { ("count(visit, 90d) >= 2", "2", true), ("count(visit, 14d) == 0", "1", false) },
            explained.Children.Select(c => (c.Clause, Show(c.Value), c.Result)));
        Assert.Equal(["count(visit, 14d) == 0"], RuleExplanation.Failing(explained).ToArray());
    }

    // A rule Ana does not satisfy, and the clauses that say why, in rule order.
    public static TheoryData<string, string[]> Failures => new()
    {
        { "orders >= 5 or revenue > 500", ["orders >= 5", "revenue > 500"] },
        { "not in_segment(\"vip\")", ["not in_segment(\"vip\")"] },
        { "orders >= 1 and not (profile.country == \"ES\" or profile.country == \"MX\")", ["not (profile.country == \"ES\" or profile.country == \"MX\")"] },
        { "(orders >= 5 or count(visit, 7d) == 0) and profile.newsletter and days_since(last_order) > 30", ["orders >= 5", "count(visit, 7d) == 0", "days_since(last_order) > 30"] },
        { "not not exists(profile.phone)", ["not not exists(profile.phone)"] },
        { "exists(profile.phone) and exists(profile.phone)", ["exists(profile.phone)"] },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void A_rule_that_fails_names_the_clauses_that_make_it_fail(string rule, string[] failing)
    {
        var explained = RuleExplanation.Explain(RuleCompiler.Compile(rule), Ana(), Now);

        Assert.False(explained.Result);
        Assert.Equal(failing, RuleExplanation.Failing(explained).ToArray());
    }

    [Fact]
    public void A_rule_that_holds_names_no_failing_clause_though_a_branch_of_it_is_false()
    {
        var explained = RuleExplanation.Explain(RuleCompiler.Compile("orders >= 5 or profile.country == \"ES\""), Ana(), Now);

        Assert.True(explained.Result);
        Assert.Equal(new[] { false, true }, explained.Children.Select(c => c.Result));
        Assert.Empty(RuleExplanation.Failing(explained));
    }

    [Fact]
    public void A_not_shows_the_clause_under_it_with_its_own_result()
    {
        var explained = RuleExplanation.Explain(RuleCompiler.Compile("not (days_since(last_order) <= 7)"), Ana(), Now);

        Assert.True(explained.Result);
        var inner = Assert.Single(explained.Children);
        Assert.Equal(("days_since(last_order) <= 7", "10", false), (inner.Clause, Show(inner.Value), inner.Result));
    }

    [Fact]
    public void A_child_segment_is_explained_with_its_parent_first()
    {
        var ana = Ana();
        ana.Segments.Clear();

        var explained = RuleExplanation.Explain(SegmentRules.Of("orders >= 1", "vip"), ana, Now);

        Assert.Equal("in_segment(\"vip\") and orders >= 1", explained.Clause);
        Assert.Equal(["in_segment(\"vip\")"], RuleExplanation.Failing(explained).ToArray());
    }

    [Fact]
    public void Time_alone_changes_the_explanation_when_a_window_empties()
    {
        var rule = RuleCompiler.Compile("count(visit, 14d) == 0");

        var now = RuleExplanation.Explain(rule, Ana(), Now);
        var later = RuleExplanation.Explain(rule, Ana(), Now.AddDays(12));

        Assert.Equal(("1", false), (Show(now.Value), now.Result));
        Assert.Equal(("0", true), (Show(later.Value), later.Result));
    }

    public static TheoryData<int> Seeds => [.. Enumerable.Range(1, 8)];

    /// <summary>
    /// Random rules over random customers (plain ones, and real customer states read through <see cref="CustomerFacts"/>):
    /// the explanation's result is the evaluator's, every node's text is a rule that evaluates to that node's result on
    /// its own, and/or/not nodes agree with their parts, and the failing clauses are false nodes of the tree, none when the rule holds.
    /// </summary>
    [Theory]
    [MemberData(nameof(Seeds))]
    public void The_explained_result_is_the_evaluators_on_random_rules_and_customers(int seed)
    {
        var random = new Random(seed);
        var fuzzer = new RuleFuzzer(seed);
        var rules = new List<CompiledRule>();
        for (var attempt = 0; attempt < 20_000 && rules.Count < 120; attempt++)
        {
            var text = attempt % 3 == 0 ? Aimed(random, 0) : fuzzer.Generated();
            if (RuleCompiler.TryCompile(text, out var rule, out _))
            {
                rules.Add(rule!);
            }
        }

        var subjects = Enumerable.Range(0, 12)
            .Select(i => i % 2 == 0 ? (IRuleSubject)Sample(random) : new CustomerFacts(State(random), id => id == "vip"))
            .ToList();
        var (holds, fails) = (0, 0);
        foreach (var rule in rules)
        {
            foreach (var subject in subjects)
            {
                var at = Now.AddHours(random.Next(-24 * 30, 24 * 30));
                var explained = RuleExplanation.Explain(rule, subject, at);
                var because = $"seed {seed}: '{rule.Text}' at {at:O}";

                Assert.True(explained.Result == rule.Evaluate(subject, at), because);
                Assert.Equal(rule.Text, explained.Clause);
                Coherent(rule.Ast, explained, subject, at, because);

                var failing = RuleExplanation.Failing(explained);
                Assert.True(explained.Result == failing.IsEmpty, because);
                var falseClauses = Flatten(explained).Where(c => !c.Result).Select(c => c.Clause).ToHashSet(StringComparer.Ordinal);
                Assert.All(failing, f => Assert.Contains(f, falseClauses));
                (holds, fails) = explained.Result ? (holds + 1, fails) : (holds, fails + 1);
            }
        }

        Assert.True(rules.Count >= 100, $"only {rules.Count} rules compiled");
        Assert.True(holds > 100 && fails > 100, $"{holds} held and {fails} failed: the cases do not cover both answers");
    }

    /// <summary>Each node against the tree it explains: its text, its result as a rule of its own, its parts.</summary>
    private static void Coherent(RuleNode node, ExplainedClause explained, IRuleSubject subject, DateTimeOffset at, string because)
    {
        Assert.Equal(RuleText.Write(node), explained.Clause);
        Assert.True(RuleCompiler.Compile(explained.Clause).Evaluate(subject, at) == explained.Result, $"{because}: '{explained.Clause}'");
        var results = explained.Children.Select(c => c.Result).ToList();
        switch (node)
        {
            case AndNode and:
                Assert.Equal(and.Items.Length, explained.Children.Length);
                Assert.True(explained.Result == results.All(r => r), because);
                break;
            case OrNode or:
                Assert.Equal(or.Items.Length, explained.Children.Length);
                Assert.True(explained.Result == results.Any(r => r), because);
                break;
            case NotNode:
                Assert.True(explained.Result == !Assert.Single(results), because);
                break;
            default:
                Assert.Empty(explained.Children);
                return;
        }

        foreach (var (part, child) in Parts(node).Zip(explained.Children))
        {
            Coherent(part, child, subject, at, because);
        }
    }

    private static IEnumerable<RuleNode> Parts(RuleNode node) => node switch
    {
        AndNode and => and.Items,
        OrNode or => or.Items,
        NotNode not => [not.Inner],
        _ => [],
    };

    private static IEnumerable<ExplainedClause> Flatten(ExplainedClause clause) => [clause, .. clause.Children.SelectMany(Flatten)];

    /// <summary>Rules on what the fuzzer's grammar leaves out: predictions, lookalikes, segments, booleans.</summary>
    private static string Aimed(Random random, int depth) => (depth < 2 ? random.Next(6) : 5) switch
    {
        0 => $"{Aimed(random, depth + 1)} and {Aimed(random, depth + 1)}",
        1 => $"({Aimed(random, depth + 1)} or {Aimed(random, depth + 1)})",
        2 => $"not {Aimed(random, depth + 1)}",
        _ => random.Next(9) switch
        {
            0 => $"expected_orders({random.Next(1, 4) * 30}d) >= {random.Next(0, 3)}",
            1 => $"lookalike(\"{(random.Next(2) == 0 ? "best" : "other")}\") {(random.Next(2) == 0 ? ">=" : "<")} 0.{random.Next(1, 10)}",
            2 => $"in_segment(\"{(random.Next(2) == 0 ? "vip" : "churned")}\")",
            3 => "profile.newsletter",
            4 => $"profile.country {(random.Next(2) == 0 ? "in" : "not in")} [\"ES\", \"MX\"]",
            5 => $"profile.interests contains \"{(random.Next(2) == 0 ? "running" : "chess")}\"",
            6 => $"days_since(last_order) between {random.Next(0, 20)} and {random.Next(10, 60)}",
            7 => $"count(visit where category == \"shoes\", {random.Next(1, 60)}d) {(random.Next(2) == 0 ? ">=" : "==")} {random.Next(0, 3)}",
            _ => $"{random.Next(0, 40)} < days_since(last_seen)",
        },
    };

    private static SampleCustomer Sample(Random random)
    {
        var customer = new SampleCustomer();
        string[] countries = ["ES", "MX", "DE"];
        if (random.Next(4) != 0)
        {
            customer.ProfileFields["country"] = RuleValue.Of(countries[random.Next(countries.Length)]);
        }

        if (random.Next(2) == 0)
        {
            customer.ProfileFields["email"] = RuleValue.Of(random.Next(2) == 0 ? "test@example.com" : "ana@example.com");
        }

        customer.ProfileFields["interests"] = RuleValue.Of(new[] { "running", "chess", "yoga" }.Where(_ => random.Next(2) == 0));
        customer.ProfileFields["newsletter"] = random.Next(3) switch { 0 => RuleValue.Null, 1 => RuleValue.Of(true), _ => RuleValue.Of(false) };
        customer.ProfileFields["birth_date"] = RuleValue.Of(Now.AddDays(-random.Next(15 * 365, 60 * 365)));
        customer.ProfileFields["custom_trait"] = RuleValue.Of(random.Next(0, 40).ToString(CultureInfo.InvariantCulture));
        var orders = random.Next(0, 6);
        customer.Traits["orders"] = RuleValue.Of(orders);
        customer.Traits["revenue"] = RuleValue.Of(orders * random.Next(5, 200));
        customer.Traits["refunds"] = RuleValue.Of(random.Next(0, 2));
        customer.Traits["events"] = RuleValue.Of(random.Next(0, 50));
        if (orders > 0)
        {
            customer.Traits["aov"] = RuleValue.Of(random.Next(5, 200));
            customer.Traits["first_order"] = RuleValue.Of(Now.AddDays(-random.Next(30, 400)));
            customer.Traits["last_order"] = RuleValue.Of(Now.AddDays(-random.Next(0, 30)));
        }

        customer.Traits["last_seen"] = RuleValue.Of(Now.AddDays(-random.Next(0, 60)));
        customer.Traits["lifecycle"] = RuleValue.Of(new[] { "new", "active", "at_risk", "lapsed" }[random.Next(4)]);
        customer.Traits["rfm.r"] = RuleValue.Of(random.Next(1, 6));
        for (var i = 0; i < random.Next(0, 25); i++)
        {
            var type = new[] { "visit", "order_completed", "product_viewed" }[random.Next(3)];
            customer.Events.Add(new SampleEvent(type, Now.AddHours(-random.Next(0, 24 * 120)), new()
            {
                ["category"] = RuleValue.Of(random.Next(2) == 0 ? "shoes" : "hats"),
                ["revenue"] = RuleValue.Of(random.Next(1, 100)),
                ["currency"] = RuleValue.Of(random.Next(2) == 0 ? "EUR" : "USD"),
            }));
        }

        if (random.Next(2) == 0)
        {
            customer.Segments.Add("vip");
        }

        if (random.Next(2) == 0)
        {
            customer.ExpectedOrdersBy[TimeSpan.FromDays(30 * random.Next(1, 4))] = RuleValue.Of(random.NextDouble() * 2);
        }

        if (random.Next(2) == 0)
        {
            customer.LookalikeScores["best"] = RuleValue.Of(random.NextDouble());
        }

        return customer;
    }

    private static CustomerState State(Random random)
    {
        var state = new CustomerState();
        var events = new List<CustomerEvent>
        {
            Identify("i1", "c", Now.AddDays(-200), ("country", new[] { "ES", "MX", "DE" }[random.Next(3)]), ("birthDate", "1990-12-03")),
            Make("i2", "c", EventTypes.Identify, Now.AddDays(-200), ("newsletter", PropertyValue.Of(random.Next(2) == 0)), ("interests", PropertyValue.Of(["running", "yoga"]))),
        };
        for (var i = 0; i < random.Next(0, 30); i++)
        {
            var at = Now.AddMinutes(-random.Next(0, 60 * 24 * 150));
            events.Add(random.Next(4) switch
            {
                0 => Order($"o{i}", "c", at, random.Next(5, 200)),
                1 => Viewed($"p{i}", "c", at, random.Next(2) == 0 ? "shoes" : "hats"),
                _ => Visit($"v{i}", "c", at),
            });
        }

        foreach (var e in events)
        {
            CustomerBehaviour.Apply(state, e);
        }

        return state;
    }

    /// <summary>A value as the tables write it: null, a number, a "string", a [list] or an instant.</summary>
    private static string Show(ExplainedValue? value) => value?.Kind switch
    {
        null => "null",
        ExplainedValueKind.Bool => value.Number != 0 ? "true" : "false",
        ExplainedValueKind.Number => value.Number.ToString("R", CultureInfo.InvariantCulture),
        ExplainedValueKind.Text => $"\"{value.Text}\"",
        ExplainedValueKind.List => $"[{string.Join(", ", value.Items)}]",
        ExplainedValueKind.Time => value.Time.ToString("O", CultureInfo.InvariantCulture),
        _ => value.Kind.ToString(),
    };
}
