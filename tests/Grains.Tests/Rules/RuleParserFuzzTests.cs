using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CustomerGrains.Grains.Rules;
using Xunit.Abstractions;

namespace CustomerGrains.Grains.Tests.Rules;

/// <summary>
/// Tens of thousands of seeded hostile rules, text and JSON: each one compiles (and its canonical text compiles
/// back to itself, its JSON tree to the same rule, and it evaluates without throwing) or is rejected with a
/// <see cref="RuleSyntaxException"/> that names where. Any other exception, a stack overflow or a hang is a bug.
/// Set <c>FUZZ_SEED</c> to replay another seed, <c>FUZZ_RULE_CASES</c> for a longer run.
/// </summary>
public sealed class RuleParserFuzzTests(ITestOutputHelper output)
{
    private const int DefaultSeed = 20261201;

    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private static readonly JsonDocumentOptions DeepJson = new() { MaxDepth = 100_000 };

    private readonly List<string> _failures = [];

    private string _current = "";

    [Fact]
    public void Every_hostile_rule_text_compiles_or_is_rejected_with_a_position()
    {
        var fuzzer = new RuleFuzzer(Seed());
        var cases = Cases("FUZZ_RULE_CASES", 15_000);
        var (accepted, rejected) = RunBounded(() =>
        {
            var counts = (Accepted: 0, Rejected: 0);
            foreach (var (name, text) in RuleFuzzer.Hostile())
            {
                Tally(CheckText(name, text), ref counts);
            }

            for (var i = 0; i < cases; i++)
            {
                Tally(CheckText($"generated #{i}", fuzzer.Generated()), ref counts);
                Tally(CheckText($"mutated #{i}", fuzzer.Mutated()), ref counts);
            }

            return counts;
        });

        output.WriteLine($"seed {fuzzer.Seed}: {accepted + rejected} rule texts, {accepted} compiled, {rejected} rejected");
        Assert.True(_failures.Count == 0, Report(fuzzer.Seed));
        Assert.True(accepted > cases / 10, $"only {accepted} inputs compiled: the generator no longer reaches the compiler");
    }

    [Fact]
    public void Every_hostile_rule_tree_compiles_or_is_rejected_with_a_reason()
    {
        var fuzzer = new RuleFuzzer(Seed());
        var cases = Cases("FUZZ_RULE_CASES", 15_000) / 3;
        var (accepted, rejected) = RunBounded(() =>
        {
            var counts = (Accepted: 0, Rejected: 0);
            foreach (var (name, json) in RuleFuzzer.HostileJson())
            {
                Tally(CheckJson(name, Serialize(json)), ref counts);
            }

            for (var i = 0; counts.Accepted + counts.Rejected < cases; i++)
            {
                // Texts that do not compile (or crash: the text test reports those) give no tree to start from.
                var text = fuzzer.Generated();
                JsonNode tree;
                try
                {
                    tree = RuleJson.ToJson(RuleCompiler.Compile(text).Ast);
                }
                catch (Exception)
                {
                    continue;
                }

                Tally(CheckJson($"tree #{i}", RuleFuzzer.WithLoneSurrogates(Serialize(fuzzer.MutatedJson(tree)))), ref counts);
            }

            return counts;
        });

        output.WriteLine($"seed {fuzzer.Seed}: {accepted + rejected} rule trees, {accepted} compiled, {rejected} rejected");
        Assert.True(_failures.Count == 0, Report(fuzzer.Seed));
        Assert.True(accepted > 0 && rejected > 0, "the mutated trees should both compile and fail");
    }

    /// <summary>Inputs the fuzzer found: each once threw something other than a RuleSyntaxException.</summary>
    [Theory]
    [InlineData("count(visit, 1.5d) > 1")]
    [InlineData("count(visit, 99999999999999999999d) > 1")]
    [InlineData("count(visit, 9223372036854775807w) > 1")]
    [InlineData("count(visit, 1317624576w) > 1")]
    [InlineData("profile.email == \"a\u0000b\"")]
    [InlineData("orders > 1e")]
    public void Found_inputs_are_rejected_with_a_position(string text)
    {
        var error = Assert.Throws<RuleSyntaxException>(() => RuleCompiler.Compile(text));
        Assert.InRange(error.Position, 0, text.Length);
    }

    [Fact]
    public void A_string_with_an_unpaired_surrogate_is_rejected_where_it_is()
    {
        var error = Assert.Throws<RuleSyntaxException>(() => RuleCompiler.Compile("profile.email == \"a\ud800\""));
        Assert.Equal(19, error.Position);
    }

    /// <summary>Rules the fuzzer found whose stored (canonical) text or JSON tree did not compile back.</summary>
    [Theory]
    [InlineData("revenue > 0.00001", "revenue > 1E-05")]
    [InlineData("revenue > 1000000000000000000000", "revenue > 1E+21")]
    [InlineData("rfm.class == \"at_risk\" and rfm.r >= 4", "rfm.class == \"at_risk\" and rfm.r >= 4")]
    [InlineData("(orders > 1 or refunds == 0) and not (aov < 2)", "(orders > 1 or refunds == 0) and not aov < 2")]
    [InlineData("profile.email == \"💥\"", "profile.email == \"💥\"")]
    public void Found_rules_survive_being_stored_and_shown_as_a_tree(string text, string canonical)
    {
        var rule = RuleCompiler.Compile(text);
        Assert.Equal(canonical, rule.Text);
        Assert.Equal(canonical, RuleCompiler.Compile(rule.Text).Text);
        using var tree = JsonDocument.Parse(RuleJson.ToJson(rule.Ast).ToJsonString());
        Assert.Equal(canonical, RuleCompiler.CompileJson(tree.RootElement).Text);
    }

    [Fact]
    public void A_tree_of_31_nots_compiles_like_its_text()
    {
        var text = string.Concat(Enumerable.Repeat("not ", 31)) + "orders > 1";
        using var tree = JsonDocument.Parse(RuleJson.ToJson(RuleCompiler.Compile(text).Ast).ToJsonString());
        Assert.Equal(text, RuleCompiler.CompileJson(tree.RootElement).Text);
    }

    [Fact]
    public void A_window_in_a_tree_cannot_carry_more_rule_text()
    {
        using var tree = JsonDocument.Parse("""{"op": ">", "left": {"count": {"type": "visit", "window": "1d) > 0 or (orders"}}, "right": 0}""");
        var error = Assert.Throws<RuleSyntaxException>(() => RuleCompiler.CompileJson(tree.RootElement));
        Assert.Contains("$.left.count.window", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_birth_date_at_the_end_of_the_calendar_has_no_deadline_rather_than_an_overflow()
    {
        var rule = RuleCompiler.Compile("days_since(profile.birth_date) > 5");
        var subject = new SampleCustomer();
        subject.ProfileFields["birth_date"] = RuleValue.Of(new DateTimeOffset(9999, 12, 31, 0, 0, 0, TimeSpan.Zero));

        Assert.Null(rule.NextDeadline(subject, Now));
    }

    private bool? CheckText(string name, string text)
    {
        _current = $"{name}: {RuleFuzzer.Show(text)}";
        CompiledRule rule;
        try
        {
            rule = RuleCompiler.Compile(text);
        }
        catch (RuleSyntaxException error)
        {
            if (error.Position < 0 || error.Position > text.Length || !error.Message.StartsWith($"at position {error.Position}:", StringComparison.Ordinal))
            {
                Fail(name, text, $"rejected without a position inside the rule: {error.Message}");
            }

            return false;
        }
        catch (Exception error)
        {
            Fail(name, text, $"threw {error.GetType().Name} instead of RuleSyntaxException: {error.Message}");
            return null;
        }

        CheckCompiled(name, text, rule);
        return true;
    }

    private bool? CheckJson(string name, string json)
    {
        _current = $"{name}: {RuleFuzzer.Show(json)}";
        using var document = JsonDocument.Parse(json, DeepJson);
        CompiledRule rule;
        try
        {
            rule = RuleCompiler.CompileJson(document.RootElement);
        }
        catch (RuleSyntaxException error)
        {
            // A structural mistake names its JSON path; a mistake inside a value names its position.
            if (error.Position < 0 && !error.Message.Contains(" at $", StringComparison.Ordinal))
            {
                Fail(name, json, $"rejected without a path or position: {error.Message}");
            }

            return false;
        }
        catch (Exception error)
        {
            Fail(name, json, $"threw {error.GetType().Name} instead of RuleSyntaxException: {error.Message}");
            return null;
        }

        CheckCompiled(name, json, rule);
        return true;
    }

    /// <summary>What compiled must survive being stored (canonical text), shown as a tree, and evaluated.</summary>
    private void CheckCompiled(string name, string input, CompiledRule rule)
    {
        try
        {
            var again = RuleCompiler.Compile(rule.Text);
            if (again.Text != rule.Text)
            {
                Fail(name, input, $"canonical text '{RuleFuzzer.Show(rule.Text)}' re-compiles to '{RuleFuzzer.Show(again.Text)}'");
            }

            using var tree = JsonDocument.Parse(Serialize(RuleJson.ToJson(rule.Ast)), DeepJson);
            var fromTree = RuleCompiler.CompileJson(tree.RootElement);
            if (fromTree.Text != rule.Text)
            {
                Fail(name, input, $"its JSON tree compiles to '{RuleFuzzer.Show(fromTree.Text)}', not '{RuleFuzzer.Show(rule.Text)}'");
            }

            foreach (var subject in Subjects())
            {
                rule.Evaluate(subject, Now);
                rule.NextDeadline(subject, Now);
            }
        }
        catch (Exception error)
        {
            Fail(name, input, $"compiled to '{RuleFuzzer.Show(rule.Text)}', then {error.GetType().Name}: {error.Message}");
        }
    }

    /// <summary>Customers with the extremes the Api lets stored values take (events from 1990, any yyyy-MM-dd birth date).</summary>
    private static IEnumerable<SampleCustomer> Subjects()
    {
        yield return new SampleCustomer();
        foreach (var (birth, lastOrder) in new[] { (DateTimeOffset.MinValue, Earliest), (new DateTimeOffset(9999, 12, 31, 0, 0, 0, TimeSpan.Zero), Now.AddDays(1)) })
        {
            var subject = new SampleCustomer();
            subject.ProfileFields["country"] = RuleValue.Of("ES");
            subject.ProfileFields["email"] = RuleValue.Of("\ud800@x");
            subject.ProfileFields["interests"] = RuleValue.Of(["running", ""]);
            subject.ProfileFields["birth_date"] = RuleValue.Of(birth);
            subject.ProfileFields["custom_trait"] = RuleValue.Of("1e308");
            subject.Traits["orders"] = RuleValue.Of(double.MaxValue);
            subject.Traits["revenue"] = RuleValue.Of(-0.0);
            subject.Traits["first_order"] = RuleValue.Of(Earliest);
            subject.Traits["last_order"] = RuleValue.Of(lastOrder);
            subject.Traits["lifecycle"] = RuleValue.Of("active");
            subject.Traits["lifecycle_changes_at"] = RuleValue.Of(lastOrder.AddDays(365));
            subject.Segments.Add("vip");
            subject.Events.Add(new SampleEvent("visit", Earliest, new() { ["category"] = RuleValue.Of("shoes") }));
            subject.Events.Add(new SampleEvent("order_completed", lastOrder, new() { ["revenue"] = RuleValue.Of(double.MaxValue) }));
            yield return subject;
        }
    }

    private static readonly DateTimeOffset Earliest = new(1990, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Runs the cases on their own thread so that a hang is reported with the input that hung.</summary>
    private (int Accepted, int Rejected) RunBounded(Func<(int Accepted, int Rejected)> run)
    {
        (int, int) result = default;
        Exception? crash = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = run();
            }
            catch (Exception error)
            {
                crash = error;
            }
        });
        thread.Start();

        // A watchdog, not a timing assertion: the default run takes a few seconds.
        if (!thread.Join(TimeSpan.FromMinutes(3)))
        {
            Assert.Fail($"seed {Seed()}: the parser did not finish; stuck on {_current}");
        }

        Assert.True(crash is null, $"seed {Seed()}: the fuzz loop itself failed on {_current}: {crash}");
        return result;
    }

    private static void Tally(bool? compiled, ref (int Accepted, int Rejected) counts)
    {
        if (compiled == true)
        {
            counts.Accepted++;
        }
        else
        {
            counts.Rejected++;
        }
    }

    private void Fail(string name, string input, string what)
    {
        if (_failures.Count < 20)
        {
            _failures.Add($"{name}: {what}\n    input: {RuleFuzzer.Show(input)}");
        }
    }

    private string Report(int seed) => $"seed {seed} (FUZZ_SEED={seed} replays it): {_failures.Count} failures\n{string.Join("\n", _failures)}";

    private static string Serialize(JsonNode node)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { MaxDepth = 100_000 }))
        {
            node.WriteTo(writer);
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static int Seed() =>
        int.TryParse(Environment.GetEnvironmentVariable("FUZZ_SEED"), CultureInfo.InvariantCulture, out var seed) ? seed : DefaultSeed;

    private static int Cases(string variable, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), CultureInfo.InvariantCulture, out var cases) ? cases : fallback;
}
